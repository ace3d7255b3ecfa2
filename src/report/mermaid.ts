import { graphOf, PlanLayer } from './plan-document';

/** Above this many layers the graph shows groups (workspaces, waves) instead of every layer. */
export const FULL_GRAPH_MAX_LAYERS = 80;

interface Group {
  readonly id: string;
  readonly label: string;
  readonly members: string[];
}

/** The group a layer is drawn in when the graph is condensed. */
function groupOf(l: PlanLayer): { key: string; label: (n: number) => string } {
  if (l.kind === 'wave') return { key: l.name, label: () => l.name };
  if (l.cluster !== undefined && l.wave !== undefined && !['platform-apps', 'catalog-apps'].includes(l.kind)) {
    return { key: `wave:${l.wave}`, label: (n) => `wave ${l.wave} clusters: ${n} layers` };
  }
  if (l.workspace !== undefined) return { key: `ws:${l.workspace}`, label: (n) => `workspace ${l.workspace}: ${n} app layers` };
  return { key: l.name, label: () => l.name };
}

/**
 * A Mermaid flowchart of the layers, dependencies pointing to dependants. Node ids are
 * positional (`L1`, `G1`): layer names contain `-`, which Mermaid reads as edges.
 */
export function mermaidGraph(layers: readonly PlanLayer[]): string {
  const lines = ['flowchart TD'];
  if (layers.length <= FULL_GRAPH_MAX_LAYERS) {
    const id = new Map(layers.map((l, i) => [l.name, `L${i + 1}`]));
    for (const l of layers) lines.push(`  ${id.get(l.name)}["${l.name}"]`);
    for (const l of layers) for (const d of l.dependsOn) lines.push(`  ${id.get(d)} --> ${id.get(l.name)}`);
    return lines.join('\n');
  }
  const groups = new Map<string, Group>();
  const groupKey = new Map<string, string>();
  const labels = new Map<string, (n: number) => string>();
  for (const l of layers) {
    const g = groupOf(l);
    groupKey.set(l.name, g.key);
    labels.set(g.key, g.label);
    if (!groups.has(g.key)) groups.set(g.key, { id: `G${groups.size + 1}`, label: '', members: [] });
    groups.get(g.key)!.members.push(l.name);
  }
  const keys = [...groups.keys()];
  const edges = new Set<string>();
  for (const l of layers) {
    for (const d of l.dependsOn) {
      const a = groupKey.get(d)!;
      const b = groupKey.get(l.name)!;
      if (a !== b) edges.add(`${a}\n${b}`);
    }
  }
  // Reduce the group graph too, so the picture shows the order, not every implied edge.
  const g = graphOf(keys.map((k) => ({ name: k, dependsOn: [...edges].filter((e) => e.endsWith(`\n${k}`)).map((e) => e.split('\n')[0]) })));
  g.reduce();
  for (const k of keys) {
    const grp = groups.get(k)!;
    lines.push(`  ${grp.id}["${labels.get(k)!(grp.members.length)}"]`);
  }
  for (const k of keys) {
    for (const d of g.dependencies(k)) lines.push(`  ${groups.get(d)!.id} --> ${groups.get(k)!.id}`);
  }
  return lines.join('\n');
}
