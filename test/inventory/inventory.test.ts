import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { EXPECTED_FLEET, find, items, list, SNAPSHOT, snapshotWith, without } from './snapshots';
import { parseFleet } from '../../src/fleet/load-fleet';
import { inventory } from '../../src/inventory';
import { planSynthesis } from '../../src/synth';
import { ROOT, tempDir } from '../helpers';

const FILE = 'snapshot.yaml';

/** The comment lines of a fleet text, unwrapped: one string per comment. */
function comments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*# (.*)$/.exec(line);
    if (m === null) continue;
    if (m[1].startsWith('  ') && out.length > 0) out[out.length - 1] += ` ${m[1].trim()}`;
    else out.push(m[1]);
  }
  return out;
}

describe('the fleet file of a DKP 2.1.1 management cluster (Cluster API v1alpha4 and v1beta1 objects)', () => {
  test('the snapshot holds objects of both Cluster API versions, and every kind the command gets', () => {
    const apiVersions = new Set(items().filter((o) => o.apiVersion.startsWith('cluster.x-k8s.io/')).map((o) => o.apiVersion));
    expect([...apiVersions].sort()).toEqual(['cluster.x-k8s.io/v1alpha4', 'cluster.x-k8s.io/v1beta1']);
    expect(new Set(items().map((o) => o.kind))).toEqual(new Set([
      'Cluster', 'KubeadmControlPlane', 'MachineDeployment', 'Workspace', 'Project', 'KommanderCluster', 'AppDeployment',
    ]));
  });

  test('is written exactly: sorted, defaults left out, a comment on every inference and on what was left out', () => {
    expect(inventory(SNAPSHOT, { file: FILE, release: '2.2.0' })).toBe(EXPECTED_FLEET);
  });

  test('without --release, release is the current release, under a comment asking for the target', () => {
    const text = inventory(SNAPSHOT, { file: FILE });
    expect(text).toBe(EXPECTED_FLEET.replace('  release: 2.2.0\n', [
      '  # set the target: --release was not given, so release is the current release; set it to the DKP release to upgrade to',
      '  #   (2.1.1 upgrades directly to 2.1.2, 2.1.3, 2.1.4, 2.1.5, 2.2.0, 2.2.1, 2.2.2, 2.2.3)',
      '  release: 2.1.1',
      '',
    ].join('\n')));
  });

  test('the header names the snapshot by its base name: no absolute path in the output', () => {
    expect(inventory(SNAPSHOT, { file: '/home/me/snapshots/snapshot.yaml', release: '2.2.0' })).toBe(EXPECTED_FLEET);
  });

  test('parses with the fleet loader into the fleet the snapshot shows', () => {
    const { fleet } = parseFleet(EXPECTED_FLEET, 'fleet.yaml');
    expect(fleet.name).toBe('dkp-mgmt');
    expect([fleet.release, fleet.currentRelease]).toEqual(['2.2.0', '2.1.1']);
    expect(fleet.kommanderAppDeployments.map((a) => a.name)).toEqual(['kommander', 'kommander-appmanagement']);
    const m = fleet.management;
    expect([m.name, m.provider, m.namespace, m.kubernetesVersion, m.topology, m.controlPlane.name]).toEqual(
      ['dkp-mgmt', 'azure', 'default', '1.21.6', false, 'dkp-mgmt-control-plane']);
    expect(m.nodePools.map((p) => [p.name, p.kubernetesVersion])).toEqual([['dkp-mgmt-md-0', '1.21.6']]);
    expect(m.platformApps!.map((a) => [a.name, a.configOverrides])).toEqual([
      ['cert-manager', undefined], ['dex', undefined], ['kube-prometheus-stack', 'kube-prometheus-stack-overrides'], ['traefik', undefined],
      ['velero', undefined],
    ]);
    expect(fleet.workspaces.map((w) => [w.name, w.namespace])).toEqual([['team-a', 'team-a-x7k2p'], ['team-b', 'team-b']]);
    const [a, b] = fleet.workspaces;
    expect(a.clusters.map((c) => [c.name, c.type, c.kubernetesVersion, c.kubeconfigSecret])).toEqual([
      ['eks-legacy', 'attached', '1.21.14', 'eks-legacy-kubeconfig-4tq8z'],
      ['prod-east', 'managed', '1.21.6', 'prod-east-kubeconfig'],
    ]);
    const prodEast = a.clusters[1];
    expect(prodEast.type === 'managed' && [prodEast.namespace, prodEast.nodePools.map((p) => [p.name, p.kubernetesVersion])]).toEqual(
      ['team-a-x7k2p', [['prod-east-md-0', '1.21.6'], ['prod-east-md-1', '1.21.5']]]);
    expect(a.projects.map((p) => [p.name, p.namespace, p.clusters, p.catalogApps.map((c) => `${c.name}@${c.version}`)])).toEqual([
      ['payments', 'payments-7fz2q', ['prod-east'], ['zookeeper-operator@0.2.13']],
    ]);
    expect(a.customApps).toEqual([]);
    expect(b.clusters.map((c) => (c.type === 'managed' ? [c.name, c.topology, c.controlPlane.name, c.nodePools.map((p) => p.name)] : c.name))).toEqual([
      ['batch', false, 'batch-cp', ['batch-md-0']],
      ['cc-prod', true, 'cc-prod-control-plane', []],
    ]);
    expect(b.projects.map((p) => [p.name, p.namespace, p.clusters])).toEqual([['analytics', 'analytics', undefined]]);
    expect(b.platformApps!.map((x) => x.name)).toEqual(['cert-manager', 'gatekeeper', 'traefik']);
    expect(b.catalogApps.map((x) => `${x.name}@${x.version}`)).toEqual(['zookeeper-operator@0.2.13']);
  });

  test('round-trips: with --release 2.2.0 and the core addons\' manifests named, planning accepts it', () => {
    const dir = tempDir();
    fs.cpSync(path.join(ROOT, 'examples', 'addons-azure'), path.join(dir, 'addons'), { recursive: true });
    // What the comment in the file tells the user to do: name the addon manifests.
    const text = EXPECTED_FLEET.replace('  # konvoy: {addons: {manifests: ./addons}}\n', '  konvoy: {addons: {manifests: ./addons}}\n');
    expect(text).not.toBe(EXPECTED_FLEET);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
    const planned = planSynthesis({ fleetFile: path.join(dir, 'fleet.yaml') });
    const layers = planned.plan.layers.map((l) => l.name);
    expect(layers).toEqual(expect.arrayContaining([
      'mgmt-kommander', 'mgmt-platform-apps', 'ws-team-a-platform-apps', 'ws-team-a-catalog-apps', 'ws-team-b-catalog-apps',
      'mgmt-control-plane', 'mgmt-node-pools', 'cluster-prod-east-control-plane', 'cluster-prod-east-node-pools', 'cluster-batch-control-plane',
      'cluster-cc-prod-kubernetes',
    ]));
    // The attached cluster gets its workspace's app checks only (project payments is placed on prod-east alone).
    expect(layers.filter((l) => l.includes('eks-legacy'))).toEqual(['cluster-eks-legacy-platform-apps']);
    // The ClusterClass cluster moves through its topology: one Kubernetes layer, no control plane or node pool layer.
    expect(layers.filter((l) => /^cluster-cc-prod-(kubernetes|control-plane|node-pools)$/.test(l))).toEqual(['cluster-cc-prod-kubernetes']);
    expect(planned.plan.fleet.workspaces.map((w) => w.name)).toEqual(['team-a', 'team-b']);
  });

  test('is the same for the same objects in another order, or written as several documents', () => {
    const reversed = list([...items()].reverse());
    expect(inventory(reversed, { file: FILE, release: '2.2.0' })).toBe(EXPECTED_FLEET);
    const objects = items();
    const documents = [
      list(objects.slice(0, 10)),
      ...objects.slice(10, 20).map((o) => YAML.stringify(o)),
      list(objects.slice(20)),
      '',
    ].join('---\n');
    expect(inventory(documents, { file: FILE, release: '2.2.0' })).toBe(EXPECTED_FLEET);
  });

  test('a given --current-release is written as given, without the inference', () => {
    const text = inventory(SNAPSHOT, { file: FILE, release: '2.2.0', currentRelease: '2.1.1' });
    expect(text).toBe(EXPECTED_FLEET.replace(/ {2}# inferred: currentRelease[^\n]*\n(?: {2}# {3}[^\n]*\n)*/, ''));
  });
});

describe('what is inferred, and what the comments say', () => {
  const fleetOf = (snapshot: string, release = '2.2.0') => inventory(snapshot, { file: FILE, release });

  test('the management cluster is the host KommanderCluster\'s Cluster API Cluster when it names one: nothing to infer', () => {
    const text = fleetOf(snapshotWith((o) => {
      find(o, 'KommanderCluster', 'host-cluster').spec.clusterRef = { capiCluster: { name: 'dkp-mgmt', namespace: 'default' } };
    }));
    expect(comments(text).filter((c) => c.includes('management cluster is'))).toEqual([]);
    expect(parseFleet(text, 'fleet.yaml').fleet.management.name).toBe('dkp-mgmt');
  });

  test('without a host KommanderCluster, the only unreferenced Cluster in namespace default is the management cluster, and a comment says so', () => {
    const text = fleetOf(snapshotWith((o) => without(o, 'KommanderCluster', 'host-cluster')));
    expect(comments(text)).toContain('inferred: the management cluster is Cluster default/dkp-mgmt: the snapshot has no KommanderCluster in namespace '
      + 'kommander (the host cluster), and it is the only Cluster in namespace default that no other KommanderCluster references');
  });

  test('the current release is left out, with a comment, when no kommander AppDeployment tells it; so is release without --release', () => {
    const snapshot = snapshotWith((o) => without(o, 'AppDeployment', 'kommander', 'kommander'));
    const text = inventory(snapshot, { file: FILE });
    expect(text).not.toMatch(/^ {2}(release|currentRelease):/m);
    expect(comments(text)).toEqual(expect.arrayContaining([
      'release: unknown; --release was not given and the current release is unknown: add `release: <the DKP release to upgrade to>`',
      'currentRelease: unknown; the snapshot has no AppDeployment kommander in namespace kommander to read Kommander\'s version from: set '
        + 'spec.currentRelease to the DKP release running now',
    ]));
    expect(() => parseFleet(text.replace(/^spec:\n/m, 'spec:\n  release: 2.2.0\n'), 'fleet.yaml')).not.toThrow();
  });

  test('the current release is left out when releases sharing the kommander version cannot be told apart by the platform apps running', () => {
    // 2.1.3, 2.1.4 and 2.1.5 ship the same app versions: dex-k8s-authenticator 1.2.10 is 2.1.3+, knative 0.3.9 too.
    const snapshot = snapshotWith((o) => {
      for (const ad of o.filter((x) => x.kind === 'AppDeployment' && x.spec.appRef.kind === 'ClusterApp')) {
        ad.spec.appRef.name = ad.spec.appRef.name
          .replace('kube-prometheus-stack-18.1.1', 'kube-prometheus-stack-18.1.3').replace('velero-3.1.3', 'velero-3.1.5')
          .replace('gatekeeper-0.6.8', 'gatekeeper-0.6.9');
      }
      o.push({ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'dex-k8s-authenticator', namespace: 'kommander' },
        spec: { appRef: { kind: 'ClusterApp', name: 'dex-k8s-authenticator-1.2.10' } } });
    });
    const text = fleetOf(snapshot);
    expect(text).not.toMatch(/^ {2}currentRelease:/m);
    expect(comments(text)).toContain('currentRelease: unknown; AppDeployment kommander/kommander (ClusterApp kommander-0.1.0) runs kommander 0.1.0, '
      + 'which releases 2.1.0, 2.1.1, 2.1.2, 2.1.3, 2.1.4, 2.1.5 ship, and the platform apps running match 2.1.3, 2.1.4, 2.1.5: set '
      + 'spec.currentRelease to the one running now');
  });

  test('a release whose kommander version is its own is inferred from it alone', () => {
    const snapshot = snapshotWith((o) => {
      find(o, 'AppDeployment', 'kommander', 'kommander').spec.appRef.name = 'kommander-0.2.0';
    });
    expect(comments(fleetOf(snapshot))).toContain('inferred: currentRelease from AppDeployment kommander/kommander (ClusterApp kommander-0.2.0): '
      + 'kommander 0.2.0, which release 2.2.0 ships');
  });

  test('a node pool without a version takes the control plane\'s, and a comment says so', () => {
    const text = fleetOf(snapshotWith((o) => {
      delete find(o, 'MachineDeployment', 'batch-md-0').spec.template.spec.version;
    }));
    expect(comments(text)).toContain('inferred: MachineDeployment team-b/batch-md-0 has no spec.template.spec.version; taken as the control plane\'s');
    expect(text).toContain('#   plane\'s\n            - {name: batch-md-0}\n');
  });

  test('a MachineDeployment names its cluster by label when spec.clusterName is missing', () => {
    const text = fleetOf(snapshotWith((o) => {
      delete find(o, 'MachineDeployment', 'batch-md-0').spec.clusterName;
    }));
    expect(text).toBe(EXPECTED_FLEET);
  });

  test('a KommanderCluster named otherwise than its Cluster: the fleet takes the Cluster\'s name, and placements follow it', () => {
    const text = fleetOf(snapshotWith((o) => {
      find(o, 'KommanderCluster', 'prod-east').metadata.name = 'prod-east-kc';
      find(o, 'Project', 'payments').spec.placement.clusters = [{ name: 'prod-east-kc' }];
    }));
    expect(comments(text)).toContain('inferred: KommanderCluster team-a-x7k2p/prod-east-kc manages Cluster team-a-x7k2p/prod-east; the fleet names the '
      + 'cluster after its Cluster API Cluster');
    expect(text).toContain('          clusters: [prod-east]\n');
  });

  test('a project placed on a cluster the workspace does not have: the cluster is left out, and a comment says so', () => {
    const text = fleetOf(snapshotWith((o) => {
      find(o, 'Project', 'payments').spec.placement.clusters.push({ name: 'gone' });
    }));
    expect(comments(text)).toContain('left out: the placement names cluster "gone", which is no cluster of workspace team-a in the snapshot');
    expect(text).toContain('          clusters: [prod-east]\n');
  });

  test('a project without a placement is taken as placed on every cluster', () => {
    const text = fleetOf(snapshotWith((o) => {
      delete find(o, 'Project', 'payments').spec.placement;
    }));
    expect(comments(text)).toContain('inferred: project payments has no spec.placement; taken as all clusters of the workspace');
    expect(text).not.toContain('clusters: [prod-east]');
  });

  test('what the fleet file cannot hold is listed at its end: a Cluster in no workspace, an AppDeployment under another name, in no workspace', () => {
    const text = fleetOf(snapshotWith((o) => {
      o.push({ ...find(o, 'Cluster', 'batch'), metadata: { name: 'scratch', namespace: 'team-b' } });
      o.push({ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'kafka', namespace: 'team-b' },
        spec: { appRef: { kind: 'App', name: 'kafka-operator-0.20.0' } } });
      o.push({ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'traefik', namespace: 'elsewhere' },
        spec: { appRef: { kind: 'ClusterApp', name: 'traefik-10.3.0' } } });
      o.push({ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'mystery', namespace: 'team-b' },
        spec: { appRef: { kind: 'ClusterApp', name: 'mystery-1.0.0' } } });
    }));
    const end = text.slice(text.indexOf('# left out of this fleet file:'));
    expect(comments(end)).toEqual([
      'left out of this fleet file:',
      '- AppDeployment elsewhere/traefik (ClusterApp traefik-10.3.0): namespace elsewhere is no workspace\'s or project\'s in the snapshot',
      '- AppDeployment payments-7fz2q/project-grafana-logging (ClusterApp project-grafana-logging-6.16.14): a platform app of project payments; '
        + 'the fleet file lists catalog and custom apps of projects only, so dkp-fleet leaves it as it is',
      '- AppDeployment team-b/kafka (App kafka-operator-0.20.0): deployed under another name than its app id "kafka-operator"; the fleet file names '
        + 'each AppDeployment after its app, so synthesis would write a second one: upgrade it by hand, or redeploy it as "kafka-operator"',
      '- AppDeployment team-b/mystery (ClusterApp mystery-1.0.0): "mystery" is no platform app of any release dkp-fleet knows',
      '- Cluster team-b/scratch: no KommanderCluster references it, so it is in no workspace',
      '- workspace default-workspace (namespace kommander-default-workspace): no clusters and no AppDeployments',
    ]);
  });

  test('a workspace with AppDeployments but no clusters is kept; the default workspace is kept once it has a cluster', () => {
    const text = fleetOf(snapshotWith((o) => {
      const kc = find(o, 'KommanderCluster', 'eks-legacy');
      kc.metadata.namespace = 'kommander-default-workspace';
    }));
    const { fleet } = parseFleet(text, 'fleet.yaml');
    expect(fleet.workspaces.map((w) => [w.name, w.namespace, w.clusters.map((c) => c.name)])).toEqual([
      ['default-workspace', 'kommander-default-workspace', ['eks-legacy']],
      ['team-a', 'team-a-x7k2p', ['prod-east']],
      ['team-b', 'team-b', ['batch', 'cc-prod']],
    ]);
    expect(text).not.toContain('workspace default-workspace (namespace kommander-default-workspace): no clusters');
    expect(fleet.workspaces[0].platformApps).toEqual([]);
  });

  test('app references split on the ids the catalog knows, the longest first; unknown apps split at their version', () => {
    const text = fleetOf(snapshotWith((o) => {
      const ad = (name: string, ref: string, kind = 'ClusterApp') => ({
        apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name, namespace: 'team-b' }, spec: { appRef: { kind, name: ref } },
      });
      o.push(ad('traefik-forward-auth', 'traefik-forward-auth-0.3.2'), ad('kube-oidc-proxy', 'kube-oidc-proxy-0.2.5'));
      o.push(ad('my-app-2', 'my-app-2-1.0.0-rc.1', 'App'));
    }));
    const { fleet } = parseFleet(text, 'fleet.yaml');
    expect(fleet.workspaces[1].platformApps!.map((a) => a.name)).toEqual(['cert-manager', 'gatekeeper', 'kube-oidc-proxy', 'traefik', 'traefik-forward-auth']);
    expect(text).toContain('#   - {name: my-app-2, version: 1.0.0-rc.1, kubernetesVersions: "?"}');
  });

  test('names and values that would not read back as plain YAML are quoted', () => {
    const text = fleetOf(snapshotWith((o) => {
      find(o, 'AppDeployment', 'traefik', 'team-b').spec.configOverrides.name = 'true';
    }));
    expect(text).toContain('        - {name: traefik, configOverrides: "true"}\n');
    expect(parseFleet(text, 'fleet.yaml').fleet.workspaces[1].platformApps![2].configOverrides).toBe('true');
  });

  test('a comment never ends early: a line break or a control character in a value is escaped', () => {
    const text = fleetOf(snapshotWith((o) => {
      o.push({ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'x', namespace: 'team-b' },
        spec: { appRef: { kind: 'App', name: 'evil\nkind: Fleet\u001b[2J-1.0.0' } } });
    }));
    expect(text).toContain('team-b/x (App evil\\u000akind: Fleet\\u001b[2J-1.0.0)');
    expect(text.split('\n').filter((l) => l.startsWith('kind:'))).toEqual(['kind: Fleet']);
    expect(() => parseFleet(text, 'fleet.yaml')).not.toThrow();
  });
});
