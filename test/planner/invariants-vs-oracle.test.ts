import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { loadFleet } from '../../src/fleet/load-fleet';
import { checkInvariants, LayerNode } from '../../src/planner/invariants';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, ROOT, writeFleet } from '../helpers';
import { fleetShape, fleetShapeOfFile, FleetShape, orderViolations } from '../oracles/order';

/**
 * src's checkInvariants (run on every synthesis) against the test's own oracle: every graph one
 * edge away from a real plan (an edge dropped, or moved one step up: the layer then waits for what
 * its dependency waited for, not for the dependency itself) must be judged alike: broken by both
 * or by neither, for the rules checkInvariants claims (one root, management before managed, apps
 * before Kubernetes, control plane before node pools, waves, each cluster's premise).
 */

/**
 * The oracle's rules that checkInvariants also checks. Not the soak: checkInvariants does not check
 * that a wave waits for the previous wave's soak (reported; the oracle checks it on every output).
 */
const SHARED_RULES = [
  'management before managed', 'apps before Kubernetes', 'control plane before node pools', 'waves: wave', 'a cluster changes nothing before its premise',
  'preflight first',
];
const rootRule = /^structure: .* depends on no layer/;

const catalog = loadCatalog();

function plan(file: string): LayerNode[] {
  const { fleet } = loadFleet(file);
  return planFleet(fleet, catalog, loadAddonSources(fleet)).layers.map((l) => ({ ...l, dependsOn: [...l.dependsOn] }));
}

function oracle(shape: FleetShape, layers: readonly LayerNode[]): string[] {
  return orderViolations(shape, layers.map((l) => ({
    name: l.name, namespace: 'ns', dependsOn: l.dependsOn.map((d) => ({ name: d, namespace: 'ns' })), suspend: false,
  }))).filter((v) => (SHARED_RULES.some((r) => v.startsWith(r)) || rootRule.test(v)) && !v.includes('(its soak)'));
}

/** Every graph one edge away from `layers`. */
function* oneEdgeAway(layers: readonly LayerNode[]): Generator<{ what: string; layers: LayerNode[] }> {
  const byName = new Map(layers.map((l) => [l.name, l]));
  for (const l of layers) {
    for (const d of l.dependsOn) {
      const rewire = (deps: string[]) => layers.map((x) => (x.name === l.name ? { ...x, dependsOn: [...new Set(deps)].sort() } : x));
      yield { what: `${l.name} without ${d}`, layers: rewire(l.dependsOn.filter((x) => x !== d)) };
      const up = byName.get(d)!.dependsOn;
      if (up.length > 0) yield { what: `${l.name} after ${up.join(', ')} instead of ${d}`, layers: rewire([...l.dependsOn.filter((x) => x !== d), ...up]) };
    }
  }
}

function rolloutFleet(): any {
  const f = baseFleet();
  f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
  const c = f.spec.workspaces[0].clusters[0];
  f.spec.workspaces[0].catalogApps = [{ name: 'kafka-operator' }];
  f.spec.workspaces[0].clusters = [
    ...[1, 2, 2, 3, 4].map((wave, i) => ({ ...c, name: `c${i}`, wave, nodePools: [{ name: `c${i}-md-0` }] })),
    { name: 'cc', provider: 'azure', kubernetesVersion: '1.21.6', topology: true, wave: 3 },
    { name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' },
  ];
  f.spec.rollout = { waves: [{ wave: 2, soak: '1h' }, { wave: 3, maxFailures: 1 }] };
  return f;
}

const FLEETS: [string, () => { file: string; shape: FleetShape }][] = [
  ['the waves example', () => {
    const file = path.join(ROOT, 'examples/two-workspaces-waves.yaml');
    return { file, shape: fleetShapeOfFile(file) };
  }],
  ['four waves with a soak, a failure budget and a ClusterClass cluster', () => {
    const f = rolloutFleet();
    return { file: writeFleet(f), shape: fleetShape(f) };
  }],
];

describe.each(FLEETS)('checkInvariants and the oracle on %s', (_name, make) => {
  const { file, shape } = make();
  const layers = plan(file);

  test('both accept the plan', () => {
    expect(checkInvariants(layers)).toEqual([]);
    expect(oracle(shape, layers)).toEqual([]);
  });

  test('judge every graph one edge away alike', () => {
    const disagreements: string[] = [];
    let broken = 0;
    let graphs = 0;
    for (const g of oneEdgeAway(layers)) {
      graphs++;
      const byOracle = oracle(shape, g.layers);
      const bySrc = checkInvariants(g.layers);
      if (byOracle.length > 0) broken++;
      if ((byOracle.length > 0) !== (bySrc.length > 0)) {
        disagreements.push(`${g.what}: oracle ${JSON.stringify(byOracle.slice(0, 3))}, checkInvariants ${JSON.stringify(bySrc.slice(0, 3))}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(graphs).toBeGreaterThan(40);
    expect(broken).toBeGreaterThan(graphs / 3);
  });
});
