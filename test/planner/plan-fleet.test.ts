import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, problemsOf, toYaml } from '../helpers';

const catalog = loadCatalog();
const plan = (f: unknown) => {
  const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
  return planFleet(fleet, catalog, loadAddonSources(fleet));
};
const problems = (f: unknown) => problemsOf(() => plan(f));
const edges = (f: unknown) => Object.fromEntries(plan(f).layers.map((l) => [l.name, l.dependsOn]));

describe('the layer graph', () => {
  test('follows DESIGN §1 for a management cluster and one managed cluster', () => {
    expect(edges(baseFleet())).toEqual({
      'mgmt-preflight': [],
      'mgmt-kommander': ['mgmt-preflight'],
      'mgmt-platform-apps': ['mgmt-kommander'],
      'ws-team-a-platform-apps': ['mgmt-platform-apps'],
      'cluster-prod-east-platform-apps': ['ws-team-a-platform-apps'],
      'ws-team-a-apps-ready': ['cluster-prod-east-platform-apps'],
      'mgmt-capi-providers': ['ws-team-a-apps-ready'],
      'mgmt-core-addons': ['mgmt-capi-providers'],
      'mgmt-control-plane': ['mgmt-core-addons'],
      'mgmt-node-pools': ['mgmt-control-plane'],
      'cluster-prod-east-preflight': ['mgmt-preflight'],
      'cluster-prod-east-core-addons': ['cluster-prod-east-preflight', 'mgmt-node-pools'],
      'cluster-prod-east-addons-ready': ['cluster-prod-east-core-addons'],
      'cluster-prod-east-control-plane': ['cluster-prod-east-addons-ready'],
      'cluster-prod-east-node-pools': ['cluster-prod-east-control-plane'],
      'wave-1': ['cluster-prod-east-node-pools'],
    });
  });

  test('lists layers in the order Flux runs them', () => {
    const names = plan(baseFleet()).layers.map((l) => l.name);
    expect(names.indexOf('mgmt-node-pools')).toBeLessThan(names.indexOf('cluster-prod-east-core-addons'));
    expect(names[0]).toBe('mgmt-preflight');
    expect(names[names.length - 1]).toBe('wave-1');
  });

  test('starts a wave only after every cluster of the previous wave, through its barrier', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push(
      { name: 'w2-a', provider: 'azure', kubernetesVersion: '1.21.6', wave: 2 },
      { name: 'w3-a', provider: 'azure', kubernetesVersion: '1.21.6', wave: 3, topology: true },
      { name: 'w2-b', provider: 'azure', kubernetesVersion: '1.21.6', wave: 2, nodePools: [{ name: 'w2-b-md-0' }] },
    );
    const e = edges(f);
    expect(e['wave-1']).toEqual(['cluster-prod-east-node-pools']);
    expect(e['cluster-w2-a-preflight']).toEqual(['mgmt-preflight']);
    expect(e['cluster-w2-a-core-addons']).toEqual(['cluster-w2-a-preflight', 'wave-1']);
    expect(e['cluster-w2-b-core-addons']).toEqual(['cluster-w2-b-preflight', 'wave-1']);
    expect(e['cluster-w2-a-addons-ready']).toEqual(['cluster-w2-a-core-addons']);
    expect(e['cluster-w2-a-control-plane']).toEqual(['cluster-w2-a-addons-ready']);
    expect(e['cluster-w2-a-node-pools']).toBeUndefined(); // no node pools: the control plane is its last layer
    expect(e['wave-2']).toEqual(['cluster-w2-a-control-plane', 'cluster-w2-b-node-pools']);
    expect(e['cluster-w3-a-core-addons']).toEqual(['cluster-w3-a-preflight', 'wave-2']);
    expect(e['cluster-w3-a-addons-ready']).toEqual(['cluster-w3-a-core-addons']);
    expect(e['cluster-w3-a-kubernetes']).toEqual(['cluster-w3-a-addons-ready']);
    expect(e['cluster-w3-a-control-plane']).toBeUndefined();
    expect(e['wave-3']).toEqual(['cluster-w3-a-kubernetes']);
  });

  test('gives attached clusters app checks only', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    f.spec.workspaces[0].catalogApps = ['kafka-operator'];
    const names = plan(f).layers.map((l) => l.name).filter((n) => n.includes('-eks-'));
    expect(names).toEqual(['cluster-eks-platform-apps', 'cluster-eks-catalog-apps']);
    expect(edges(f)['ws-team-a-catalog-apps']).toEqual(['cluster-eks-platform-apps', 'cluster-prod-east-platform-apps']);
  });

  test('stops after the app layers when Konvoy is not upgraded', () => {
    const f = baseFleet();
    f.spec.konvoy = { enabled: false };
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    expect(plan(f).layers.map((l) => l.name)).toEqual([
      'mgmt-preflight', 'mgmt-kommander', 'mgmt-platform-apps', 'ws-team-a-platform-apps', 'cluster-prod-east-platform-apps', 'ws-team-a-apps-ready',
    ]);
  });

  test('moves each cluster to the release default Kubernetes unless pinned', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].targetKubernetesVersion = '1.22.2';
    const layers = plan(f).layers;
    const patch = (name: string) => layers.find((l) => l.name === name)!.content.versionPatches;
    expect(patch('mgmt-control-plane')).toEqual([{ kind: 'KubeadmControlPlane', name: 'mgmt-control-plane', namespace: 'default', version: 'v1.22.8' }]);
    expect(patch('cluster-prod-east-control-plane')).toEqual([
      { kind: 'KubeadmControlPlane', name: 'prod-east-control-plane', namespace: 'team-a', version: 'v1.22.2' },
    ]);
    expect(patch('cluster-prod-east-node-pools')).toEqual([{ kind: 'MachineDeployment', name: 'prod-east-md-0', namespace: 'team-a', version: 'v1.22.2' }]);
  });

  test('picks the newest catalog app version that works before and after the upgrade', () => {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = ['kafka-operator', 'spark-operator'];
    const layer = plan(f).layers.find((l) => l.name === 'ws-team-a-catalog-apps')!;
    expect(layer.content.appDeployments.map((a) => a.appRef.name)).toEqual(['kafka-operator-0.20.2', 'spark-operator-1.1.17']);
  });
});

describe('refusing a fleet the catalog cannot upgrade', () => {
  test('fails if the release is unknown', () => {
    const f = baseFleet();
    f.spec.release = '2.9.0';
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.release: "2\.9\.0" is not in the release catalog; known releases: 2\.1\.0, 2\.1\.1, 2\.1\.2 \.\.\. 2\.4\.0, 2\.4\.1, 2\.4\.2 \(17 releases\)/)]);
  });

  test('fails if the release is older than the current one', () => {
    const f = baseFleet();
    f.spec.currentRelease = '2.2.3';
    f.spec.release = '2.2.1';
    expect(problems(f)).toEqual(['spec.release: "2.2.1" is older than spec.currentRelease "2.2.3"; DKP cannot be downgraded']);
  });

  test('fails if the upgrade skips a DKP minor, naming the hop that comes first', () => {
    const f = baseFleet();
    f.spec.release = '2.3.2';
    expect(problems(f)).toEqual([
      'spec.release: "2.3.2" cannot be reached from "2.1.1" in one upgrade: skips DKP 2.2; upgrade to 2.2.3 first '
      + '(path: 2.1.1 -> 2.2.3 -> 2.3.2); 2.3.2 upgrades from >=2.2.0 <2.3.0 || >=2.3.0 <2.3.2',
    ]);
  });

  test('fails if a documented unsupported path is asked for', () => {
    const f = baseFleet();
    f.spec.currentRelease = '2.1.0';
    f.spec.release = '2.1.1';
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.release: "2\.1\.1" cannot be upgraded to from "2\.1\.0": release 2\.1\.1 accepts "<0\.0\.0"/)]);
  });

  test('fails if kommander mode has no current release', () => {
    const f = baseFleet();
    delete f.spec.currentRelease;
    f.spec.flux = { mode: 'kommander' };
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.currentRelease: required in kommander mode/)]);
  });

  test('fails if the release records no Kubernetes versions, naming the missing fact', () => {
    const f = baseFleet();
    f.spec.release = '2.4.0';
    f.spec.currentRelease = '2.3.3';
    expect(problems(f)).toContainEqual(expect.stringMatching(
      /^spec\.release: release 2\.4\.0 does not record its supported Kubernetes versions \(unknown in src\/catalog\/releases\/2\.4\.0\.yaml\); add kubernetes\.supported/,
    ));
  });

  test('fails if the release records no default Kubernetes and none is pinned', () => {
    const f = baseFleet();
    f.spec.release = '2.3.0';
    f.spec.currentRelease = '2.2.3';
    f.spec.management.kubernetesVersion = '1.22.8';
    f.spec.workspaces[0].clusters[0].kubernetesVersion = '1.22.8';
    const p = problems(f);
    expect(p).toContain('spec.management.targetKubernetesVersion: required: release 2.3.0 records no default Kubernetes version (unknown); '
      + 'set one in its supported range ">=1.21.0 <1.24.0"');
    expect(p).toContain('spec.workspaces[0].clusters[0].targetKubernetesVersion: required: release 2.3.0 records no default Kubernetes version (unknown); '
      + 'set one in its supported range ">=1.21.0 <1.24.0"');
  });

  test('fails if Kubernetes would skip a minor, naming the intermediate hop and the release that carries it', () => {
    const f = baseFleet();
    f.spec.release = '2.3.2';
    f.spec.currentRelease = '2.2.3';
    delete f.spec.workspaces;
    expect(problems(f)).toContain(
      'spec.management.kubernetesVersion: cluster "mgmt" cannot go from "1.21.6" to "1.23.12" in one upgrade: Kubernetes moves one minor at a time, '
      + 'so 1.22 comes first (set targetKubernetesVersion to a 1.22 version (release 2.3.2 supports ">=1.21.0 <1.24.0"); release 2.2.3 carries 1.22.8), '
      + 'then upgrade again',
    );
  });

  test('fails if a target is outside the release or older than the cluster', () => {
    const f = baseFleet();
    f.spec.management.targetKubernetesVersion = '1.23.0';
    f.spec.workspaces[0].clusters[0].kubernetesVersion = '1.22.8';
    f.spec.workspaces[0].clusters[0].targetKubernetesVersion = '1.22.2';
    f.spec.workspaces[0].clusters[0].nodePools = [];
    expect(problems(f)).toEqual([
      'spec.management.targetKubernetesVersion: target "1.23.0" for cluster "mgmt" is outside release 2.2.0\'s supported range ">=1.21.0 <1.23.0"',
      'spec.workspaces[0].clusters[0].targetKubernetesVersion: target "1.22.2" for cluster "prod-east" is older than its current "1.22.8"; '
      + 'Kubernetes cannot be downgraded',
    ]);
  });

  test('fails if a node pool is newer than its control plane, or outside the kubelet skew', () => {
    const f = baseFleet();
    f.spec.management.nodePools = [{ name: 'new', kubernetesVersion: '1.22.0' }, { name: 'old', kubernetesVersion: '1.19.16' }];
    expect(problems(f)).toEqual([
      'spec.management.nodePools[0].kubernetesVersion: node pool "new" runs "1.22.0", newer than its control plane "1.21.6"; '
      + 'kubelets may never be newer than the API server',
      'spec.management.nodePools[1].kubernetesVersion: node pool "old" runs "1.19.16", more than 2 minors older than the control plane\'s target "1.22.8" '
      + '(kubelet skew policy); upgrade the pool to 1.20 or newer first',
    ]);
  });

  test('fails if a managed cluster would run a newer Kubernetes than the management cluster', () => {
    const f = baseFleet();
    f.spec.management.targetKubernetesVersion = '1.22.2';
    f.spec.workspaces[0].clusters[0].targetKubernetesVersion = '1.22.8';
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[0].targetKubernetesVersion: managed cluster "prod-east" would run "1.22.8", above the management cluster\'s "1.22.2"; '
      + 'the management cluster must run the newest Kubernetes of the fleet (its Cluster API manages the others)',
    ]);
  });

  test('fails if an attached cluster runs a Kubernetes the release does not support', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.20.15' });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].kubernetesVersion: attached cluster "eks" runs "1.20.15", outside release 2.2.0\'s supported range ">=1.21.0 <1.23.0"; '
      + 'DKP does not upgrade attached clusters: upgrade it by hand first',
    ]);
  });

  test('fails if a platform app is not in the release, suggesting the closest', () => {
    const f = baseFleet();
    f.spec.workspaces[0].platformApps = ['cert-manager', 'traefk'];
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.platformApps\[1\]\.name: "traefk" is not a platform app of release 2\.2\.0 \(did you mean "traefik"\?\)/)]);
  });

  test('fails if the management cluster lists no platform apps (its default set is unknown)', () => {
    const f = baseFleet();
    delete f.spec.management.platformApps;
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.management\.platformApps: required: release 2\.2\.0 does not record which platform apps run here by default \(unknown\)/)]);
  });

  test('fails if a pinned catalog app does not support a cluster, and says when no version supports every cluster', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'edge', type: 'attached', kubernetesVersion: '1.23.5' });
    f.spec.workspaces[0].catalogApps = [{ name: 'kafka-operator', version: '0.20.0' }];
    // (the attached cluster outside the release's range is refused too)
    expect(problems(f)).toContain(
      'spec.workspaces[0].catalogApps[0].version: kafka-operator 0.20.0 supports Kubernetes ">=1.21.0 <1.22.0", not prod-east (1.22.8), edge (1.23.5); '
      + 'no version of it in this release works on every cluster',
    );
  });

  test('fails if a pinned catalog app does not support a cluster, listing the versions that do', () => {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = [{ name: 'kafka-operator', version: '0.20.0' }];
    expect(problems(f)).toEqual([
      'spec.workspaces[0].catalogApps[0].version: kafka-operator 0.20.0 supports Kubernetes ">=1.21.0 <1.22.0", not prod-east (1.22.8); '
      + 'versions that work on every cluster: 0.20.2',
    ]);
  });

  test('fails if a custom app does not support a cluster\'s target Kubernetes', () => {
    const f = baseFleet();
    f.spec.workspaces[0].customApps = [{ name: 'billing', version: '1.4.0', kubernetesVersions: '>=1.21.0 <1.22.0' }];
    expect(problems(f)).toEqual([
      'spec.workspaces[0].customApps[0].kubernetesVersions: custom app "billing" 1.4.0 supports Kubernetes ">=1.21.0 <1.22.0", not prod-east (1.22.8); '
      + 'publish a version that supports them and list it here',
    ]);
  });

  test('fails if a generated layer name is longer than 63 characters', () => {
    const f = baseFleet();
    const long = 'c'.repeat(45);
    f.spec.workspaces[0].clusters[0].name = long;
    f.spec.workspaces[0].clusters[0].nodePools = [];
    const p = problems(f);
    expect(p[0]).toBe(`spec.workspaces[0].clusters[0].name: makes the layer name "cluster-${long}-platform-apps" (67 characters), `
      + 'over the 63 Kubernetes allows for a Kustomization; shorten it by 4 characters or more');
    expect(p.every((x) => x.startsWith('spec.workspaces[0].clusters[0].name: makes the layer name'))).toBe(true);
  });
});
