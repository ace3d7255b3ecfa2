import { addKubernetesLayers } from './kubernetes-layers';
import { EMPTY_CONTENT, HealthCheck, LayerScope, LayerTarget } from './layer';
import { BuildInput, count, Draft, LayerBuilder, Targets } from './layer-builder';
import { ClusterAddons } from './plan-konvoy';
import { CLUSTER_RESOURCE_SET_API_VERSION, HELM_CHART_PROXY_API_VERSION, PROVIDER_API_VERSION } from '../catalog/api-versions';
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
  b.add({
    name: 'mgmt-capi-providers',
    kind: 'capi-providers',
    scope: t.managementScope,
    target: t.management,
    content: { ...EMPTY_CONTENT, providers },
    checks: providers.map((p) => ({
      apiVersion: PROVIDER_API_VERSION, kind: p.kind, name: p.name, namespace: p.namespace, expect: { type: 'provider', version: p.version }, applied: true,
    })),
    changes: konvoy.providerChanges,
    summary: `Cluster API providers on ${m.name}: ${providers.map((p) => `${p.kind.replace(/Provider$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()} `
      + `${p.name} ${p.version}`).join(', ')}`,
    after: appSinks,
  }, 'spec.management.name');
  b.add(addonsLayer('mgmt-core-addons', m.name, konvoy.addons.get(m.name)!, t.managementScope, t.management, 'mgmt-capi-providers'), 'spec.management.name');
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
      b.add(addonsLayer(coreAddons, c.name, konvoy.addons.get(c.name)!, scope, t.management, previous), nameField);
      lasts.push(addKubernetesLayers(b, c, moves.get(c.name), release, {
        prefix: `cluster-${c.name}`, scope, target: t.management, after: coreAddons, nameField,
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
function addonsLayer(name: string, cluster: string, addons: ClusterAddons, scope: LayerScope, target: LayerTarget, after: string): Draft {
  const checks: HealthCheck[] = [
    ...addons.helmChartProxies.map((h): HealthCheck => ({
      apiVersion: HELM_CHART_PROXY_API_VERSION, kind: 'HelmChartProxy', name: h.name, namespace: h.namespace,
      expect: { type: 'helm-chart-proxy' }, applied: true,
    })),
    ...addons.clusterResourceSets.map((c): HealthCheck => ({
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION, kind: 'ClusterResourceSet', name: c.name, namespace: c.namespace,
      expect: { type: 'resource-set' }, applied: true,
    })),
  ];
  const n = addons.helmChartProxies.length + addons.clusterResourceSets.length;
  return {
    name,
    kind: 'core-addons',
    scope,
    target,
    content: { ...EMPTY_CONTENT, helmChartProxies: addons.helmChartProxies, clusterResourceSets: addons.clusterResourceSets },
    checks,
    changes: addons.changes,
    summary: `${count(n, 'core addon')} of ${cluster}`,
    after: [after],
  };
}
