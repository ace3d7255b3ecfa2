import { DependencyGraph } from './graph';
import { APP_KINDS, KONVOY_KINDS, KUBERNETES_KINDS } from './layer';

/** The part of a layer the invariants look at: enough to check a plan or a parsed dist/fleet. */
export interface LayerNode {
  readonly name: string;
  readonly kind: string;
  readonly scope: { readonly type: string; readonly cluster?: string; readonly wave?: number; readonly clusterType?: string };
  readonly dependsOn: readonly string[];
}

/**
 * Checks the ordering guarantees of DESIGN §1 and §2 on a set of layers, and returns one
 * message per violation (empty when all hold):
 *
 * 1. the layers form a DAG whose only root is `mgmt-preflight`;
 * 2. every layer of a managed cluster follows every management layer;
 * 3. every Kubernetes version layer follows every app layer;
 * 4. a cluster's node pools follow its control plane;
 * 5. every layer of a wave-N cluster follows the last layer of every cluster of earlier waves (or
 *    the failure-budget barrier of an earlier wave that has one);
 * 6. `dependsOn` lists direct predecessors only, sorted by name, all of them known layers;
 * 7. every Konvoy layer of a managed cluster follows that cluster's own preflight (its premise).
 */
export function checkInvariants(layers: readonly LayerNode[]): string[] {
  const violations: string[] = [];
  const graph = new DependencyGraph();
  const byName = new Map(layers.map((l) => [l.name, l]));
  for (const l of layers) graph.addNode(l.name);
  for (const l of layers) {
    const sorted = [...l.dependsOn].sort();
    if (sorted.some((d, i) => d !== l.dependsOn[i])) violations.push(`${l.name}: dependsOn is not sorted by name`);
    for (const d of l.dependsOn) {
      if (!byName.has(d)) {
        violations.push(`${l.name}: depends on unknown layer ${d}`);
      } else {
        graph.addEdge(l.name, d);
      }
    }
  }
  try {
    graph.topologicalOrder();
  } catch (e) {
    return [...violations, (e as Error).message];
  }

  // 1. One root.
  for (const l of layers) {
    if (l.dependsOn.length === 0 && l.name !== 'mgmt-preflight') violations.push(`${l.name}: has no dependency, so it can start before mgmt-preflight`);
  }
  if (!byName.has('mgmt-preflight')) violations.push('mgmt-preflight: missing');

  const names = (pred: (l: LayerNode) => boolean) => layers.filter(pred).map((l) => l.name);
  const report = (rule: string) => (r: { target: string; missing: string }) => violations.push(`${r.target}: ${rule} ${r.missing}`);

  // 2. Managed clusters after the whole management cluster.
  const management = names((l) => l.scope.type === 'management');
  const managedLayers = names((l) => l.scope.type === 'cluster' && l.scope.clusterType === 'managed' && KONVOY_KINDS.includes(l.kind as never));
  graph.missingAncestors(management, managedLayers).forEach(report('can become Ready before management layer'));

  // 3. Apps before any Kubernetes version.
  const appLayers = names((l) => APP_KINDS.includes(l.kind as never));
  const versionLayers = names((l) => KUBERNETES_KINDS.includes(l.kind as never));
  graph.missingAncestors(appLayers, versionLayers).forEach(report('moves Kubernetes before app layer'));

  // 4. Control plane before node pools, per cluster (the management cluster included).
  for (const l of layers) {
    if (l.kind !== 'node-pools') continue;
    const cp = l.name.replace(/-node-pools$/, '-control-plane');
    if (!byName.has(cp) || !graph.dependsTransitively(l.name, cp)) violations.push(`${l.name}: does not follow ${cp}`);
  }

  // 5. Waves.
  const clusterLayers = layers.filter((l) => l.scope.type === 'cluster' && l.scope.wave !== undefined && KONVOY_KINDS.includes(l.kind as never));
  const waves = [...new Set(clusterLayers.map((l) => l.scope.wave!))].sort((a, b) => a - b);
  // A wave with a failure budget is gathered by its budget barrier instead: its Job lets the next
  // wave start once each cluster finished or failed (README, "Rollout controls").
  const budgets = new Map(layers.filter((l) => l.kind === 'wave-budget' && l.scope.wave !== undefined).map((l) => [l.scope.wave!, l.name]));
  for (let i = 1; i < waves.length; i++) {
    const earlier = clusterLayers.filter((l) => l.scope.wave! < waves[i])
      .map((l) => budgets.get(l.scope.wave!) ?? l.name);
    const later = clusterLayers.filter((l) => l.scope.wave === waves[i]).map((l) => l.name);
    graph.missingAncestors([...new Set(earlier)], later).forEach(report(`(wave ${waves[i]}) can start before earlier-wave layer`));
  }

  // 7. A managed cluster changes nothing before its premise is proven.
  // Searched among the cluster's own layers only (its preflight is a dependency of its first Konvoy layer): linear in the fleet's size.
  const preflights = new Map(layers.filter((x) => x.kind === 'preflight' && x.scope.type === 'cluster').map((x) => [x.scope.cluster, x.name]));
  const managedSet = new Set(managedLayers);
  const followsWithin = (from: LayerNode, target: string): boolean => {
    const seen = new Set<string>();
    const stack = [...from.dependsOn];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === target) return true;
      const node = byName.get(n);
      if (seen.has(n) || node === undefined || node.scope.cluster !== from.scope.cluster) continue;
      seen.add(n);
      stack.push(...node.dependsOn);
    }
    return false;
  };
  for (const l of layers.filter((x) => managedSet.has(x.name))) {
    const preflight = preflights.get(l.scope.cluster);
    if (preflight === undefined || !followsWithin(l, preflight)) {
      violations.push(`${l.name}: does not follow the preflight of cluster ${l.scope.cluster} (its premise)`);
    }
  }

  // 6. Direct predecessors only: no dependency reachable through another.
  for (const e of graph.redundantEdges()) {
    violations.push(`${e.node}: lists ${e.dependency}, which ${e.via} already depends on`);
  }
  return violations;
}
