import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { checkInvariants, LayerNode } from '../../src/planner/invariants';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, toYaml } from '../helpers';

function layers(): LayerNode[] {
  const f = baseFleet();
  f.spec.workspaces[0].clusters.push({ name: 'late', provider: 'azure', kubernetesVersion: '1.21.6', wave: 2, nodePools: [{ name: 'late-md-0' }] });
  const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
  return planFleet(fleet, loadCatalog(), loadAddonSources(fleet)).layers.map((l) => ({ ...l, dependsOn: [...l.dependsOn] }));
}

function rewire(ls: LayerNode[], name: string, dependsOn: string[]): LayerNode[] {
  return ls.map((l) => (l.name === name ? { ...l, dependsOn } : l));
}

describe('the ordering invariants', () => {
  test('hold for a planned fleet', () => {
    expect(checkInvariants(layers())).toEqual([]);
  });

  test('catch a managed cluster layer that can start before the management cluster is done', () => {
    const v = checkInvariants(rewire(layers(), 'cluster-prod-east-core-addons', ['mgmt-control-plane']));
    expect(v).toContain('cluster-prod-east-core-addons: can become Ready before management layer mgmt-node-pools');
  });

  test('catch a Kubernetes version that moves before an app layer', () => {
    const v = checkInvariants(rewire(layers(), 'mgmt-capi-providers', ['mgmt-platform-apps']));
    expect(v).toContain('mgmt-control-plane: moves Kubernetes before app layer ws-team-a-platform-apps');
  });

  test('catch node pools that do not follow their control plane', () => {
    const v = checkInvariants(rewire(layers(), 'mgmt-node-pools', ['mgmt-core-addons']));
    expect(v).toContain('mgmt-node-pools: does not follow mgmt-control-plane');
  });

  test('catch a wave that starts before the previous one finished', () => {
    const v = checkInvariants(rewire(layers(), 'cluster-late-core-addons', ['mgmt-node-pools']));
    expect(v).toContain('cluster-late-core-addons: (wave 2) can start before earlier-wave layer cluster-prod-east-core-addons');
  });

  test('catch a cycle', () => {
    const v = checkInvariants(rewire(layers(), 'mgmt-kommander', ['mgmt-platform-apps']));
    expect(v[v.length - 1]).toMatch(/^dependency cycle detected: mgmt-kommander => mgmt-platform-apps => mgmt-kommander$/);
  });

  test('catch a second root', () => {
    const v = checkInvariants(rewire(layers(), 'mgmt-kommander', []));
    expect(v).toContain('mgmt-kommander: has no dependency, so it can start before mgmt-preflight');
  });

  test('catch indirect, unsorted or unknown dependencies', () => {
    const v = checkInvariants(rewire(layers(), 'mgmt-core-addons', ['mgmt-preflight', 'mgmt-capi-providers', 'nope']));
    expect(v).toEqual(expect.arrayContaining([
      'mgmt-core-addons: dependsOn is not sorted by name',
      'mgmt-core-addons: depends on unknown layer nope',
      'mgmt-core-addons: lists mgmt-preflight, which mgmt-capi-providers already depends on',
    ]));
  });
});
