import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { find, items, list, SNAPSHOT, snapshotWith, without } from './snapshots';
import { FleetError } from '../../src/input/problems';
import { inventory } from '../../src/inventory';
import { MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_VALUES, parseSnapshot } from '../../src/inventory/snapshot';
import { problemsOf } from '../helpers';

const FILE = 'snapshot.yaml';
const refused = (text: string, options: { release?: string; currentRelease?: string } = {}) =>
  problemsOf(() => inventory(text, { file: FILE, ...options }));

/** What every refusal of a missing kind ends with. */
const GET_ALSO = (resource: string) =>
  `take the snapshot with the documented \`kubectl get ... -A -o yaml\`, which gets ${resource} too (README, "The fleet file")`;

/** Line `n` of `text`, to prove a problem's line is the field it names. */
const line = (text: string, n: number) => text.split('\n')[n - 1];

describe('a snapshot that is not YAML, or not Kubernetes objects', () => {
  test('fails if the YAML is malformed, with the line', () => {
    expect(refused('apiVersion: v1\nkind: List\nitems:\n- kind: Cluster\n  metadata: {name: [x}\n')).toEqual([
      'snapshot.yaml:5: (syntax): malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'snapshot.yaml:5: (syntax): malformed YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  test('fails if a mapping repeats a key', () => {
    expect(refused('apiVersion: v1\nkind: List\nitems:\n- kind: Cluster\n  kind: Cluster\n  metadata: {name: a}\n')).toEqual([
      'snapshot.yaml:5: (syntax): malformed YAML: Map keys must be unique',
    ]);
  });

  test('fails if the snapshot is empty', () => {
    expect(refused('# nothing here\n')).toEqual([
      'snapshot.yaml: (document): holds no Kubernetes objects; expected the output of `kubectl get clusters.cluster.x-k8s.io,... -A -o yaml` '
        + '(a List with items)',
    ]);
  });

  test('fails if a document is not a List or an object', () => {
    expect(refused('- a\n- b\n')).toEqual([
      'snapshot.yaml:1: (document): expected a Kubernetes object or a List of them (what `kubectl get clusters.cluster.x-k8s.io,... -A -o yaml` prints), '
        + 'got a list',
    ]);
    const text = `${list(items().slice(0, 2))}---\njust text\n`;
    expect(refused(text)).toEqual([
      `snapshot.yaml:${text.split('\n').length - 1}: documents[1]: expected a Kubernetes object or a List of them (what \`kubectl get `
        + 'clusters.cluster.x-k8s.io,... -A -o yaml` prints), got a string ("just text")',
    ]);
  });

  test('fails if a List has no list of items', () => {
    expect(refused('apiVersion: v1\nkind: List\nitems: {a: 1}\n')).toEqual(['snapshot.yaml:3: items: expected the List\'s objects, got a mapping']);
  });

  test('fails if an item is not an object', () => {
    expect(refused('apiVersion: v1\nkind: List\nitems:\n- 42\n')).toEqual([
      'snapshot.yaml:4: items[0]: expected a Kubernetes object (a mapping with kind and metadata.name), got a number (42)',
    ]);
  });

  test('fails if an item has no kind or no metadata.name', () => {
    const text = snapshotWith((o) => {
      delete find(o, 'Cluster', 'batch').kind;
      delete find(o, 'KommanderCluster', 'batch').metadata.name;
      o.push({ apiVersion: 'v1', kind: 'ConfigMap' });
    });
    const missing = 'required field is missing: every object of a snapshot has kind and metadata.name (as `kubectl get -o yaml` prints them)';
    expect(refused(text)).toEqual([
      `snapshot.yaml:95: items[3].kind: ${missing}`,
      `snapshot.yaml:377: items[23].metadata.name: ${missing}`,
      `snapshot.yaml:555: items[42].metadata: ${missing}`,
    ]);
    expect([line(text, 95), line(text, 377), line(text, 555)]).toEqual(['  - apiVersion: cluster.x-k8s.io/v1alpha4', '    metadata:', '  - apiVersion: v1']);
  });

  test('fails if an object appears twice', () => {
    const text = snapshotWith((o) => [...o, find(o, 'Workspace', 'team-b')]);
    expect(refused(text)).toEqual([
      'snapshot.yaml:558: items[42].metadata.name: Workspace team-b appears twice in the snapshot (also at items[16], line 293); '
        + 'keep one copy of each object',
    ]);
  });
});

describe('a snapshot whose objects do not fit together', () => {
  test('fails if a MachineDeployment belongs to a cluster the snapshot does not have', () => {
    const text = snapshotWith((o) => {
      find(o, 'MachineDeployment', 'batch-md-0').spec.clusterName = 'batch-old';
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:254: items[12].spec.clusterName: MachineDeployment team-b/batch-md-0 belongs to cluster "batch-old", which is not in the snapshot '
        + `(no Cluster team-b/batch-old); ${GET_ALSO('clusters.cluster.x-k8s.io')}`,
    ]);
    expect(line(text, 254)).toBe('      clusterName: batch-old');
  });

  test('fails if a KommanderCluster references a Cluster API Cluster the snapshot does not have', () => {
    const text = snapshotWith((o) => without(o, 'Cluster', 'prod-east'));
    expect(refused(text)).toEqual([
      // Its MachineDeployments name the missing cluster too: every problem is reported at once.
      'snapshot.yaml:186: items[8].spec.clusterName: MachineDeployment team-a-x7k2p/prod-east-md-0 belongs to cluster "prod-east", which is not in the '
        + `snapshot (no Cluster team-a-x7k2p/prod-east); ${GET_ALSO('clusters.cluster.x-k8s.io')}`,
      'snapshot.yaml:200: items[9].spec.clusterName: MachineDeployment team-a-x7k2p/prod-east-md-1 belongs to cluster "prod-east", which is not in the '
        + `snapshot (no Cluster team-a-x7k2p/prod-east); ${GET_ALSO('clusters.cluster.x-k8s.io')}`,
      'snapshot.yaml:320: items[19].spec.clusterRef.capiCluster.name: KommanderCluster team-a-x7k2p/prod-east references Cluster team-a-x7k2p/prod-east, '
        + `which is not in the snapshot; ${GET_ALSO('clusters.cluster.x-k8s.io')}`,
    ]);
    expect(line(text, 320)).toBe('          name: prod-east');
  });

  test('fails if a cluster runs on an infrastructure dkp-fleet does not know, naming the kind', () => {
    const text = snapshotWith((o) => {
      find(o, 'Cluster', 'batch').spec.infrastructureRef.kind = 'DockerCluster';
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:111: items[3].spec.infrastructureRef.kind: Cluster team-b/batch runs on "DockerCluster", an infrastructure dkp-fleet does not '
        + 'upgrade; known infrastructure kinds: AWSCluster (aws), AzureCluster (azure), VSphereCluster (vsphere), GCPCluster (gcp), PreprovisionedCluster '
        + '(preprovisioned)',
    ]);
    expect(line(text, 111)).toBe('        kind: DockerCluster');
  });

  test('fails if a cluster names no infrastructure', () => {
    const text = snapshotWith((o) => {
      delete find(o, 'Cluster', 'dkp-mgmt').spec.infrastructureRef;
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:16: items[0].spec.infrastructureRef: Cluster default/dkp-mgmt has no spec.infrastructureRef.kind, which tells its infrastructure '
        + 'provider; expected one of AWSCluster (aws), AzureCluster (azure), VSphereCluster (vsphere), GCPCluster (gcp), '
        + 'PreprovisionedCluster (preprovisioned)',
    ]);
  });

  test('fails if there are two management candidates: two KommanderClusters in namespace kommander', () => {
    const text = snapshotWith((o) => {
      o.push({ ...find(o, 'KommanderCluster', 'host-cluster'), metadata: { name: 'host-cluster-2', namespace: 'kommander' } });
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:560: items[42].metadata.name: two management candidates: KommanderCluster kommander/host-cluster and KommanderCluster '
        + 'kommander/host-cluster-2 are both in namespace kommander, where only the host cluster\'s KommanderCluster lives; remove the one that is not the '
        + 'management cluster from the snapshot',
    ]);
    expect(line(text, 560)).toBe('      name: host-cluster-2');
  });

  test('fails if there are two management candidates: the host names no Cluster, and two Clusters in namespace default have no KommanderCluster', () => {
    const text = snapshotWith((o) => {
      o.push({ ...find(o, 'Cluster', 'dkp-mgmt'), metadata: { name: 'old-mgmt', namespace: 'default' } });
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:330: items[19].spec: two management candidates: KommanderCluster kommander/host-cluster (the host cluster) has no '
        + 'spec.clusterRef.capiCluster, and Cluster default/dkp-mgmt, Cluster default/old-mgmt are all in namespace default without a KommanderCluster; '
        + 'in the snapshot, set spec.clusterRef.capiCluster {name, namespace} of KommanderCluster kommander/host-cluster to the management cluster\'s Cluster',
    ]);
  });

  test('fails if the host KommanderCluster references a Cluster the snapshot does not have, without guessing another', () => {
    const text = snapshotWith((o) => {
      find(o, 'KommanderCluster', 'host-cluster').spec.clusterRef = { capiCluster: { name: 'mgmt', namespace: 'default' } };
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:335: items[19].spec.clusterRef.capiCluster.name: KommanderCluster kommander/host-cluster references Cluster default/mgmt, which is '
        + `not in the snapshot; ${GET_ALSO('clusters.cluster.x-k8s.io')}`,
    ]);
    expect(line(text, 335)).toBe('          name: mgmt');
  });

  test('fails if no Cluster can be the management cluster', () => {
    const text = snapshotWith((o) => without(without(without(o, 'Cluster', 'dkp-mgmt'), 'KubeadmControlPlane', 'dkp-mgmt-control-plane'),
      'MachineDeployment', 'dkp-mgmt-md-0'));
    expect(refused(text)).toEqual([
      'snapshot.yaml:255: items[16].spec: no management cluster: KommanderCluster kommander/host-cluster (the host cluster) has no '
        + 'spec.clusterRef.capiCluster, and every Cluster in namespace default (where DKP creates it) is another KommanderCluster\'s or there is none; '
        + 'in the snapshot, set spec.clusterRef.capiCluster {name, namespace} of KommanderCluster kommander/host-cluster to the management cluster\'s Cluster',
    ]);
  });

  test('fails if no Cluster can be the management cluster and there is no host KommanderCluster', () => {
    const text = snapshotWith((o) => without(without(o, 'KommanderCluster', 'host-cluster'), 'Cluster', 'dkp-mgmt')
      .filter((x) => x.metadata.namespace !== 'default'));
    expect(refused(text)).toEqual([
      'snapshot.yaml: (document): no management cluster: the snapshot has no KommanderCluster in namespace kommander (the host cluster), and every Cluster '
        + 'in namespace default (where DKP creates it) is another KommanderCluster\'s or there is none; '
        + GET_ALSO('kommanderclusters.kommander.mesosphere.io'),
    ]);
  });

  test('fails if a cluster\'s KubeadmControlPlane is not in the snapshot', () => {
    const text = snapshotWith((o) => without(o, 'KubeadmControlPlane', 'batch-cp'));
    expect(refused(text)).toEqual([
      'snapshot.yaml:107: items[3].spec.controlPlaneRef.name: KubeadmControlPlane team-b/batch-cp, the control plane of Cluster team-b/batch, is not in '
        + `the snapshot; ${GET_ALSO('kubeadmcontrolplanes.controlplane.cluster.x-k8s.io')}`,
    ]);
    expect(line(text, 107)).toBe('        name: batch-cp');
  });

  test('fails if a version is not a Kubernetes version', () => {
    const text = snapshotWith((o) => {
      find(o, 'KubeadmControlPlane', 'batch-cp').spec.version = 'v1.21';
      find(o, 'MachineDeployment', 'batch-md-0').spec.template.spec.version = 1.21;
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:176: items[7].spec.version: "v1.21" is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
      'snapshot.yaml:259: items[12].spec.template.spec.version: 1.21 is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
    ]);
    expect([line(text, 176), line(text, 259)]).toEqual(['      version: v1.21', '          version: 1.21']);
  });

  test('fails if an attached cluster reports no Kubernetes version', () => {
    const text = snapshotWith((o) => {
      delete find(o, 'KommanderCluster', 'eks-legacy').status;
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml:350: items[21].status: KommanderCluster team-a-x7k2p/eks-legacy is an attached cluster (no spec.clusterRef.capiCluster) without '
        + 'status.kubernetesVersion, its Kubernetes version; take the snapshot once Kommander has connected the cluster, or write the version into the '
        + 'snapshot',
    ]);
  });

  test('fails if a KommanderCluster is in a namespace no Workspace has', () => {
    const text = snapshotWith((o) => without(o, 'Workspace', 'team-b'));
    const why = `which is no workspace's namespace in the snapshot; ${GET_ALSO('workspaces.workspaces.kommander.mesosphere.io')}`;
    expect(refused(text)).toEqual([
      `snapshot.yaml:360: items[21].metadata.namespace: KommanderCluster team-b/cc-prod is in namespace "team-b", ${why}`,
      `snapshot.yaml:374: items[22].metadata.namespace: KommanderCluster team-b/batch is in namespace "team-b", ${why}`,
    ]);
  });

  test('fails if a name cannot be a name of the fleet file', () => {
    const long = `batch-${'x'.repeat(60)}`;
    const text = snapshotWith((o) => {
      find(o, 'MachineDeployment', 'batch-md-0').metadata.name = long;
    });
    expect(refused(text)).toEqual([
      `snapshot.yaml:249: items[12].metadata.name: "${long}" is not a valid name; use 1 to 63 lowercase letters, digits and '-', starting and ending `
        + 'with a letter or digit (it becomes the name of a node pool in the fleet file)',
    ]);
  });

  test('fails if an AppDeployment names no app', () => {
    const text = snapshotWith((o) => {
      delete find(o, 'AppDeployment', 'velero').spec.appRef.name;
    });
    expect(refused(text)).toEqual(['snapshot.yaml:451: items[30].spec.appRef: AppDeployment kommander/velero has no spec.appRef.name, the app it deploys']);
  });

  test('fails if the fleet file it would write is one the fleet loader refuses, saying why (a workspace in a reserved namespace)', () => {
    const text = snapshotWith((o) => {
      find(o, 'Workspace', 'team-b').spec.namespaceName = 'kommander-flux';
      for (const x of o) {
        if (x.metadata.namespace === 'team-b') x.metadata.namespace = 'kommander-flux';
        for (const ref of [x.spec?.clusterRef?.capiCluster, x.spec?.controlPlaneRef, x.spec?.infrastructureRef]) {
          if (ref?.namespace === 'team-b') ref.namespace = 'kommander-flux';
        }
      }
    });
    expect(refused(text)).toEqual([
      'snapshot.yaml: (inventory): the fleet file written from this snapshot would be refused: fleet.yaml:75: spec.workspaces[1].namespace: '
        + '"kommander-flux" belongs to the management cluster\'s workspace; choose another namespace for workspace "team-b"',
    ]);
  });

  test('fails if --release or --current-release is not a release of the catalog', () => {
    expect(refused(SNAPSHOT, { release: '2.9.0', currentRelease: 'latest' })).toEqual([
      '--release: "2.9.0" is not a release of the catalog; known releases: 2.1.0, 2.1.1, 2.1.2, 2.1.3, 2.1.4, 2.1.5, 2.2.0, 2.2.1, 2.2.2, 2.2.3, 2.3.0, '
        + '2.3.1, 2.3.2, 2.3.3, 2.4.0, 2.4.1, 2.4.2',
      '--current-release: "latest" is not a DKP release; expected MAJOR.MINOR.PATCH such as 2.2.1',
    ]);
  });
});

describe('hostile snapshots', () => {
  const refusedWith = (text: string, limits: { bytes: number; values: number }) => problemsOf(() => parseSnapshot(text, FILE, limits));

  test('reads snapshots of large fleets: up to 256 MiB and 20 million values', () => {
    expect([MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_VALUES]).toEqual([256 * 1024 * 1024, 20_000_000]);
  });

  test('fails if the snapshot is larger than the reader accepts, before parsing it', () => {
    const text = `# ${'x'.repeat(4096)}\n`;
    expect(refusedWith(text, { bytes: 4096, values: MAX_SNAPSHOT_VALUES }))
      .toEqual([`snapshot.yaml: (file): is ${text.length} bytes; snapshots of at most 4096 bytes are accepted`]);
  });

  test('fails if the snapshot holds more YAML values than the reader accepts, before building them', () => {
    const start = Date.now();
    expect(refusedWith(`items: [${'1,'.repeat(600000)}1]\n`, { bytes: MAX_SNAPSHOT_BYTES, values: 500000 })).toEqual([
      'snapshot.yaml: (document): holds more than 500000 YAML values; at most 500000 are accepted',
    ]);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('fails if collections nest deeper than the parser can recurse', () => {
    expect(refused(`items: ${'['.repeat(20000)}${']'.repeat(20000)}\n`)).toEqual([
      'snapshot.yaml: (document): nests collections too deeply to be read; a snapshot of Kubernetes objects needs a few levels only',
    ]);
  });

  test('fails if aliases expand without bound (a billion laughs)', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    const letter = (i: number) => String.fromCharCode(97 + i);
    for (let i = 1; i < 9; i++) laughs.push(`${letter(i)}: &${letter(i)} [${Array(10).fill(`*${letter(i - 1)}`).join(', ')}]`);
    const [p] = refused(`${laughs.join('\n')}\n`);
    expect(p).toMatch(/^snapshot\.yaml:1: \(document\): cannot be read: Excessive alias count indicates a resource exhaustion attack$/);
  });

  test('never fails with anything but a FleetError, whatever the input', () => {
    fc.assert(fc.property(fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => YAML.stringify(v)),
      fc.array(fc.dictionary(fc.constantFrom('kind', 'metadata', 'spec', 'status', 'apiVersion'), fc.jsonValue())).map((a) => list(a)),
      fc.array(fc.record({ kind: fc.constantFrom('Cluster', 'KommanderCluster', 'AppDeployment', 'Workspace', 'Project', 'MachineDeployment'),
        metadata: fc.record({ name: fc.string(), namespace: fc.constantFrom('kommander', 'default', 'team-a') }), spec: fc.jsonValue() })).map((a) => list(a)),
    ), (text) => {
      try {
        inventory(text, { file: FILE });
      } catch (e) {
        if (!(e instanceof FleetError)) throw e;
      }
    }), { numRuns: 120, seed: 20240601 });
  });
});
