import { addKubernetesLayers } from './kubernetes-layers';
import { EMPTY_CONTENT, KONVOY_KINDS, KustomizationRef, LayerScope, LayerTarget } from './layer';
import { BuildInput, count, Draft, kustomizationNamespace, LayerBuilder, Targets } from './layer-builder';
import { ClusterAddons } from './plan-addons';
import { premiseChecks } from './plan-premises';
import { managedClusters } from '../fleet/fleet';
import { durationMillis } from '../input/formats';
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
  const controls = new Map(fleet.rollout.waves.map((w) => [w.wave, w]));
  const held = new Set(fleet.rollout.hold);
  let previous = mgmtLast;
  for (const wave of waves) {
    const lasts: string[] = [];
    const chains: { cluster: string; konvoy: string[]; all: string[]; last: string }[] = [];
    const waveHeld = held.has(`wave-${wave}`);
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
      // A hold suspends the cluster's first change: everything after it waits on it (README, "Rollout controls").
      const hold = waveHeld || held.has(`cluster-${c.name}`);
      b.add({ ...addonsLayer(coreAddons, c.name, addons, scope, t.management, [previous, preflight]), ...(hold ? { suspend: true } : {}) }, nameField);
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
      const last = addKubernetesLayers(b, c, moves.get(c.name), release, {
        prefix: `cluster-${c.name}`, scope, target: t.management, after: addonsDone, nameField,
      });
      lasts.push(last);
      // its layers: the app checks on it (added before), its preflight and Konvoy layers
      const own = b.ofCluster(c.name);
      const konvoyOwn = own.filter((d) => d.kind === 'preflight' || KONVOY_KINDS.includes(d.kind));
      chains.push({ cluster: c.name, konvoy: konvoyOwn.map((d) => d.name), all: own.map((d) => d.name), last });
    }
    const ctl = controls.get(wave);
    const barrier = `wave-${wave}`;
    const ref = (name: string): KustomizationRef => ({ name, namespace: kustomizationNamespace(b.get(name)!.target, fleet) });
    if (ctl?.maxFailures === undefined) {
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
    } else {
      // The barrier starts with the wave and its Job counts each cluster finished or failed at the current revision.
      const longest = Math.max(...chains.map((x) => x.konvoy.length));
      b.add({
        name: barrier,
        kind: 'wave-budget',
        scope: { type: 'wave', wave },
        target: t.flux,
        content: EMPTY_CONTENT,
        checks: [],
        changes: [],
        summary: `wave ${wave} done: each of its ${count(chains.length, 'cluster')} finished or failed, at most ${ctl.maxFailures} failed`,
        after: [previous],
        ...(waveHeld ? { suspend: true } : {}),
        timeout: minutes(longest * durationMillis(fleet.flux.timeout) + 10 * 60_000),
        rolloutGate: {
          type: 'budget', wave, maxFailures: ctl.maxFailures,
          clusters: chains.map((x) => ({ cluster: x.cluster, layers: x.konvoy.map(ref), last: ref(x.last) })),
        },
      }, child(ctl.fieldPath, 'maxFailures'));
    }
    previous = barrier;
    if (ctl?.soak !== undefined) {
      const soak = `wave-${wave}-soak`;
      const watched = chains.reduce((n, x) => n + x.all.length, 0);
      b.add({
        name: soak,
        kind: 'soak',
        scope: { type: 'wave', wave },
        target: t.flux,
        content: EMPTY_CONTENT,
        checks: [],
        changes: [],
        summary: `wave ${wave} stays healthy for ${ctl.soak} after it finished (${count(watched, 'layer')} watched)`,
        after: [barrier],
        timeout: minutes(durationMillis(ctl.soak) + 10 * 60_000),
        rolloutGate: {
          type: 'soak', wave, duration: ctl.soak, clusters: chains.map((x) => ({ cluster: x.cluster, layers: x.all.map(ref), last: ref(x.last) })),
        },
      }, child(ctl.fieldPath, 'soak'));
      previous = soak;
    }
  }
}

/** A Go duration of whole minutes, rounded up. */
function minutes(ms: number): string {
  return `${Math.ceil(ms / 60_000)}m`;
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
