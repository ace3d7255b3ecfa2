import fc from 'fast-check';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { loadFleet } from '../../src/fleet/load-fleet';
import { planFleet } from '../../src/planner/plan-fleet';
import { addonManifestsFor, baseFleet, tempDir, toYaml, writeFleet } from '../helpers';
import { fleetShape, FluxKustomization, orderViolations } from '../oracles/order';
import { blueprint, buildFleet } from '../proof/fleet-arbitrary';

/**
 * The planner's layer graph against the test's own ordering oracle (test/oracles/order.ts), on the
 * plan itself (no rendering, so many fleets fit in a few seconds): the generated valid fleets of
 * test/proof (waves, ClusterClass and attached clusters, both Flux modes, rollout controls) and
 * hand-made ones for each rule.
 */

const catalog = loadCatalog();

/** Plans a fleet written to its own folder (with the addon folders it names); returns its layers as Flux would read them. */
function planned(doc: any, addons: readonly string[] = []): FluxKustomization[] {
  const dir = tempDir();
  addonManifestsFor(addons, dir);
  const { fleet } = loadFleet(writeFleet(doc, dir));
  return planFleet(fleet, catalog, loadAddonSources(fleet)).layers.map((l) => ({
    name: l.name, namespace: 'ns', dependsOn: l.dependsOn.map((d) => ({ name: d, namespace: 'ns' })), suspend: l.suspend === true,
  }));
}

describe('planned layer graphs keep DESIGN\'s order (oracle)', () => {
  test('on generated valid fleets', () => {
    fc.assert(fc.property(blueprint, (bp) => {
      const built = buildFleet(bp, catalog);
      const v = orderViolations(fleetShape(built.fleet), planned(built.fleet, built.addonManifestsFor));
      if (v.length > 0) throw new Error(`${v.slice(0, 10).join('\n')}\n--- fleet ---\n${toYaml(built.fleet).slice(0, 10000)}`);
    }), { seed: Number(process.env.FC_SEED ?? 7), numRuns: Number(process.env.FC_PLAN_RUNS ?? 40) });
  }, 300000);

  test('workspace catalog apps wait for every cluster\'s platform check, and the barrier for every catalog check', () => {
    const f = baseFleet();
    const ws = f.spec.workspaces[0];
    ws.catalogApps = [{ name: 'kafka-operator' }];
    ws.clusters.push({ name: 'prod-west', provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'prod-west-md-0' }] },
      { name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' });
    const ks = planned(f);
    const deps = (n: string) => ks.find((k) => k.name === n)!.dependsOn.map((d) => d.name);
    expect(deps('ws-team-a-catalog-apps')).toEqual(['cluster-eks-platform-apps', 'cluster-prod-east-platform-apps', 'cluster-prod-west-platform-apps']);
    expect(deps('ws-team-a-apps-ready')).toEqual(['cluster-eks-catalog-apps', 'cluster-prod-east-catalog-apps', 'cluster-prod-west-catalog-apps']);
    expect(deps('cluster-eks-catalog-apps')).toEqual(['ws-team-a-catalog-apps']);
    expect(orderViolations(fleetShape(f), ks)).toEqual([]);
  });

  test('a workspace without clusters or catalog apps still goes platform apps, barrier, providers', () => {
    const f = baseFleet();
    f.spec.workspaces.push({ name: 'empty' });
    const ks = planned(f);
    const deps = (n: string) => ks.find((k) => k.name === n)!.dependsOn.map((d) => d.name);
    expect(deps('ws-empty-platform-apps')).toEqual(['mgmt-platform-apps']);
    expect(deps('ws-empty-apps-ready')).toEqual(['ws-empty-platform-apps']);
    expect(deps('mgmt-capi-providers')).toEqual(['ws-empty-apps-ready', 'ws-team-a-apps-ready']);
    expect(orderViolations(fleetShape(f), ks)).toEqual([]);
  });

  test('waves 1, 2, 3 and 5 follow each other, with a soak and a failure budget between them', () => {
    const f = baseFleet();
    f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
    const c = f.spec.workspaces[0].clusters[0];
    f.spec.workspaces[0].clusters = [1, 2, 3, 5, 5].map((wave, i) => ({ ...c, name: `c${i}`, wave, nodePools: [{ name: `c${i}-md-0` }] }));
    f.spec.rollout = { hold: ['wave-3'], waves: [{ wave: 2, soak: '1h' }, { wave: 3, maxFailures: 0 }] };
    const ks = planned(f);
    const deps = (n: string) => ks.find((k) => k.name === n)!.dependsOn.map((d) => d.name);
    expect(deps('cluster-c1-core-addons')).toEqual(['cluster-c1-preflight', 'wave-1']);
    expect(deps('wave-2-soak')).toEqual(['wave-2']);
    expect(deps('cluster-c2-core-addons')).toEqual(['cluster-c2-preflight', 'wave-2-soak']);
    expect(deps('wave-3')).toEqual(['wave-2-soak']);
    expect(deps('cluster-c3-core-addons')).toEqual(['cluster-c3-preflight', 'wave-3']);
    expect(ks.filter((k) => k.suspend).map((k) => k.name)).toEqual(['cluster-c2-core-addons', 'wave-3']);
    expect(orderViolations(fleetShape(f), ks)).toEqual([]);
  });
});
