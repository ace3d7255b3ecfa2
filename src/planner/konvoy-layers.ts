import { addKubernetesLayers } from './kubernetes-layers';
import { EMPTY_CONTENT, LayerScope, LayerTarget } from './layer';
import { BuildInput, count, Draft, LayerBuilder, Targets } from './layer-builder';
import { ClusterAddons } from './plan-addons';
import { premiseChecks } from './plan-premises';
import { managedClusters } from '../fleet/fleet';
import { child } from '../input/problems';

/**
 * Adds the Konvoy layers (DESIGN §1, 5-11): Cluster API providers, then the management
 * cluster's core addons and Kubernetes, then each managed cluster's, wave by wave; a wave
 * barrier gathers the last layer of each of its clusters.
 *
 * @param appSinks the last app layers, which every Konvoy layer follows
 */
export function addKonvoyLayers(b: LayerBuilder, input: BuildInput, t: Targets, appSinks: readonly string[]): void {
  const { fleet, release, moves, konvoy } = input;
  if (konvoy === undefined) {
    throw new Error('internal: Konvoy enabled without a Konvoy plan');
  }
  const m = fleet.management;
  const providers = konvoy.providers;
  const operator = fleet.konvoy.providers === 'clusterApiOperator';
  const versions = providers.changes.map((c) => `${c.subject.replace(/ \(Deployment .*\)$/, '')} ${c.to}`).join(', ');
  b.add({
    name: 'mgmt-capi-providers',
    kind: 'capi-providers',
    scope: t.managementScope,
    target: t.management,
    content: { ...EMPTY_CONTENT, providers: providers.providers },
    checks: providers.checks,
    changes: providers.changes,
    summary: operator
      ? `Cluster API providers on ${m.name} through cluster-api-operator: ${versions}`
      : `Cluster API providers on ${m.name}, upgraded by \`dkp upgrade capi-components\`: ${versions}`,
    after: appSinks,
  }, 'spec.management.name');
  // The management cluster's addon workloads run where its layers apply: one layer checks both.
  const mgmtAddons = konvoy.addons.get(m.name)!;
  b.add(addonsLayer('mgmt-core-addons', m.name, { ...mgmtAddons, checks: [...mgmtAddons.checks, ...mgmtAddons.workloads] }, t.managementScope,
    t.management, ['mgmt-capi-providers']), 'spec.management.name');
  const mgmtLast = addKubernetesLayers(b, m, moves.get(m.name), release, {
    prefix: 'mgmt', scope: t.managementScope, target: t.management, after: 'mgmt-core-addons', nameField: 'spec.management.name',
  });

  const managed = managedClusters(fleet);
  const waves = [...new Set(managed.map((c) => c.wave))].sort((x, y) => x - y);
  let previous = mgmtLast;
  for (const wave of waves) {
    const lasts: string[] = [];
    for (const c of managed.filter((x) => x.wave === wave)) {
      const scope = t.clusterScope(c);
      const coreAddons = `cluster-${c.name}-core-addons`;
      const nameField = child(c.fieldPath, 'name');
      const addons = konvoy.addons.get(c.name)!;
      // The cluster's premise, proven from the start (a fleet file that lies stops this cluster, not the others) and before its first change.
      const preflight = `cluster-${c.name}-preflight`;
      b.add({
        name: preflight,
        kind: 'preflight',
        scope,
        target: t.management,
        content: EMPTY_CONTENT,
        checks: premiseChecks(c, moves.get(c.name), input.current ?? release),
        changes: [],
        summary: `prove that ${c.name} runs Kubernetes ${c.kubernetesVersion} (or already the target), as the plan assumes`,
        after: ['mgmt-preflight'],
      }, nameField);
      b.add(addonsLayer(coreAddons, c.name, addons, scope, t.management, [previous, preflight]), nameField);
      let addonsDone = coreAddons;
      if (addons.workloads.length > 0) {
        // A ClusterResourceSet's content is applied on the cluster: its workloads are checked there, through its kubeconfig.
        addonsDone = `cluster-${c.name}-addons-ready`;
        b.add({
          name: addonsDone,
          kind: 'core-addons',
          scope,
          target: t.cluster(c),
          content: EMPTY_CONTENT,
          checks: addons.workloads,
          changes: [],
          summary: `${c.name} runs its core addons' new workloads (${count(addons.workloads.length, 'workload')})`,
          after: [coreAddons],
        }, nameField);
      }
      lasts.push(addKubernetesLayers(b, c, moves.get(c.name), release, {
        prefix: `cluster-${c.name}`, scope, target: t.management, after: addonsDone, nameField,
      }));
    }
    const barrier = `wave-${wave}`;
    b.add({
      name: barrier,
      kind: 'wave',
      scope: { type: 'wave', wave },
      target: t.management,
      content: EMPTY_CONTENT,
      checks: [],
      changes: [],
      summary: `wave ${wave} done: ${count(lasts.length, 'cluster')} upgraded`,
      after: lasts,
    }, 'spec.workspaces');
    previous = barrier;
  }
}

/** The core addons layer of a Konvoy cluster: its HelmChartProxies and ClusterResourceSets, on the management cluster. */
function addonsLayer(
  name: string, cluster: string, addons: ClusterAddons, scope: LayerScope, target: LayerTarget, after: readonly string[],
): Draft {
  const n = addons.helmChartProxies.length + addons.clusterResourceSets.length;
  return {
    name,
    kind: 'core-addons',
    scope,
    target,
    content: { ...EMPTY_CONTENT, helmChartProxies: addons.helmChartProxies, clusterResourceSets: addons.clusterResourceSets },
    checks: addons.checks,
    changes: addons.changes,
    summary: `${count(n, 'core addon')} of ${cluster}`,
    after,
  };
}
