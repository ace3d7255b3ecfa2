import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { DependencyGraph } from '../../src/planner/graph';
import { checkInvariants } from '../../src/planner/invariants';
import { Layer } from '../../src/planner/layer';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, copyAddonFolders, tempDir, toYaml } from '../helpers';

const catalog = loadCatalog();
function plan(f: unknown) {
  const dir = tempDir();
  copyAddonFolders(f, dir);
  const { fleet } = parseFleet(toYaml(f), path.join(dir, 'fleet.yaml'));
  return planFleet(fleet, catalog, loadAddonSources(fleet));
}
const premises = (l: Layer) => l.checks.filter((c) => c.expect.type === 'premise')
  .map((c) => `${c.apiVersion} ${c.kind} ${c.namespace}/${c.name} ${c.expect.type === 'premise' ? c.expect.versions.join(',') : ''}`);

/** Two clusters in one wave, one with a pool still on an older patch and one removed pool. */
function fleet(): any {
  const f = baseFleet();
  f.spec.workspaces[0].clusters = [
    { name: 'prod-east', provider: 'azure', kubernetesVersion: '1.21.6',
      nodePools: [{ name: 'prod-east-md-0' }, { name: 'prod-east-md-1', kubernetesVersion: '1.21.2' }, { name: 'prod-east-old', removed: true }] },
    { name: 'prod-west', provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'prod-west-md-0' }] },
  ];
  return f;
}

describe('the premise of each Konvoy cluster', () => {
  const p = plan(fleet());
  const layer = (name: string) => p.layers.find((l) => l.name === name)!;

  test('the management cluster\'s is proven by mgmt-preflight, before anything changes', () => {
    expect(premises(layer('mgmt-preflight'))).toEqual([
      'controlplane.cluster.x-k8s.io/v1alpha4 KubeadmControlPlane default/mgmt-control-plane v1.21.6,v1.22.8',
      'cluster.x-k8s.io/v1alpha4 MachineDeployment default/mgmt-md-0 v1.21.6,v1.22.8',
    ]);
  });

  test('a managed cluster\'s by a preflight of its own: control plane and each moving pool at its own current version or the target', () => {
    const l = layer('cluster-prod-east-preflight');
    expect(l.kind).toBe('preflight');
    expect(l.content.versionPatches).toEqual([]);
    expect(premises(l)).toEqual([
      'controlplane.cluster.x-k8s.io/v1alpha4 KubeadmControlPlane team-a/prod-east-control-plane v1.21.6,v1.22.8',
      'cluster.x-k8s.io/v1alpha4 MachineDeployment team-a/prod-east-md-0 v1.21.6,v1.22.8',
      'cluster.x-k8s.io/v1alpha4 MachineDeployment team-a/prod-east-md-1 v1.21.2,v1.22.8',
    ]);
  });

  test('read in the API version the current release serves (DKP 2.1: v1alpha4), not the target\'s, which is not served before the providers move', () => {
    expect(catalog.get('2.1.1')!.capiContract).toBe('v1alpha4');
    expect(catalog.get('2.2.0')!.capiContract).toBe('v1beta1');
    const kcp = layer('cluster-prod-east-control-plane').checks[0];
    expect(kcp.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta1');
  });

  test('is proven from the start, and stops only its own cluster until the wave barrier', () => {
    expect(layer('cluster-prod-east-preflight').dependsOn).toEqual(['mgmt-preflight']);
    expect(layer('cluster-prod-east-core-addons').dependsOn).toEqual(['cluster-prod-east-preflight', 'mgmt-node-pools']);
    const g = new DependencyGraph();
    for (const l of p.layers) g.addNode(l.name);
    for (const l of p.layers) for (const d of l.dependsOn) g.addEdge(l.name, d);
    const blocked = p.layers.filter((l) => g.dependsTransitively(l.name, 'cluster-prod-east-preflight')).map((l) => l.name).sort();
    expect(blocked).toEqual(['cluster-prod-east-addons-ready', 'cluster-prod-east-control-plane', 'cluster-prod-east-core-addons',
      'cluster-prod-east-node-pools', 'wave-1']);
  });

  test('a ClusterClass cluster\'s is its topology version', () => {
    const f = fleet();
    f.spec.workspaces[0].clusters[1] = { name: 'prod-west', provider: 'azure', kubernetesVersion: '1.21.6', topology: true };
    expect(premises(plan(f).layers.find((l) => l.name === 'cluster-prod-west-preflight')!))
      .toEqual(['cluster.x-k8s.io/v1alpha4 Cluster team-a/prod-west v1.21.6,v1.22.8']);
  });

  test('one version when Kubernetes does not move', () => {
    const f = fleet();
    f.spec.workspaces[0].clusters[1].targetKubernetesVersion = '1.21.6';
    expect(premises(plan(f).layers.find((l) => l.name === 'cluster-prod-west-preflight')!)[0]).toMatch(/ v1\.21\.6$/);
  });

  test('fails if a managed cluster\'s Konvoy layer could start before its premise is proven (invariant 7)', () => {
    const layers = p.layers.map((l) => (l.name === 'cluster-prod-east-core-addons' ? { ...l, dependsOn: ['mgmt-node-pools'] } : l));
    expect(checkInvariants(layers)).toContain('cluster-prod-east-core-addons: does not follow the preflight of cluster prod-east (its premise)');
    expect(checkInvariants(p.layers)).toEqual([]);
  });
});
