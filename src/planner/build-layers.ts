import { addAppLayers } from './app-layers';
import { DependencyGraph } from './graph';
import { addKonvoyLayers } from './konvoy-layers';
import { Layer } from './layer';
import { BuildInput, Draft, LayerBuilder, targetsOf } from './layer-builder';
import { Problems } from '../input/problems';

/**
 * Two layers must never write the same object: Flux applies them with one field manager, so
 * the second would strip what the first set. Names come from the fleet (clusters, pools, apps,
 * addon folders), so a collision is a problem of the input, reported at the cluster or workspace.
 */
function checkCollisions(drafts: readonly Draft[], problems: Problems): void {
  const seen = new Map<string, string>();
  for (const d of drafts) {
    const c = d.content;
    const objects = [
      ...c.appDeployments.map((a) => `AppDeployment ${a.namespace}/${a.name}`),
      ...c.versionPatches.map((p) => `${p.kind} ${p.namespace}/${p.name}`),
      ...c.helmChartProxies.map((h) => `HelmChartProxy ${h.namespace}/${h.name}`),
      ...c.clusterResourceSets.map((s) => `ClusterResourceSet ${s.namespace}/${s.name}`),
    ];
    for (const o of objects) {
      const key = `${d.target.cluster}|${o}`;
      const other = seen.get(key);
      if (other !== undefined && other !== d.name) {
        problems.add(d.scope.type === 'workspace' ? `spec.workspaces[${d.scope.workspace}]` : 'spec.workspaces',
          `${o} would be written by two layers, ${other} and ${d.name}: names collide (an addon folder, app or cluster name); rename one`);
      }
      seen.set(key, d.name);
    }
  }
}

/**
 * Builds every layer of the fleet (DESIGN §1) and orders them: dependencies reduced to direct
 * ones (sorted by name), layers in topological order.
 *
 * @throws Error when the drafts have a cycle (a planner bug: cycles are impossible by construction)
 */
export function buildLayers(input: BuildInput, problems: Problems): Layer[] {
  const b = new LayerBuilder(problems);
  const targets = targetsOf(input.fleet);
  const appSinks = addAppLayers(b, input, targets);
  if (input.fleet.konvoy.enabled) {
    addKonvoyLayers(b, input, targets, appSinks);
  }
  const drafts = b.drafts;
  checkCollisions(drafts, problems);
  const graph = new DependencyGraph();
  for (const d of drafts) graph.addNode(d.name);
  for (const d of drafts) {
    for (const a of d.after) graph.addEdge(d.name, a);
  }
  graph.reduce();
  const byName = new Map(drafts.map((d) => [d.name, d]));
  return graph.topologicalOrder().map((name) => {
    const { after: _after, externalDependsOn, ...d } = byName.get(name)!;
    return { ...d, dependsOn: graph.dependencies(name), ...(externalDependsOn ? { externalDependsOn } : {}) };
  });
}
