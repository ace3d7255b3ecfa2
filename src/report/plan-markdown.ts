import { FULL_GRAPH_MAX_LAYERS, mermaidGraph } from './mermaid';
import { PlanDocument, PlanLayer } from './plan-document';

const GATE = { cel: 'exact (CEL)', job: 'exact (Job)', kstatus: 'kstatus' } as const;

/** Escapes text for a Markdown table cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => `\`${s}\``;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function gateOf(l: PlanLayer): string {
  const weak = l.checks.filter((c) => c.strength === 'ready-only');
  return [
    GATE[l.gate],
    ...(weak.some((c) => !c.premise) ? ['**ready-only** for some checks'] : []),
    ...(weak.some((c) => c.premise) ? ['**premise not checked**'] : []),
  ].join(', ');
}

function layerSection(l: PlanLayer, bootstrap: string): string[] {
  const out = [`### ${l.index}. ${code(l.name)}`, '', `${l.summary}.`, ''];
  out.push(`- after: ${l.dependsOn.length > 0 ? l.dependsOn.map(code).join(', ') : `the bootstrap Kustomization ${code(bootstrap)} (first layer)`}`);
  if (l.wave !== undefined) out.push(`- wave: ${l.wave}`);
  out.push(`- gate: ${gateOf(l)}`);
  if (l.changes.length > 0) {
    out.push('', '| changes | from | to |', '|---|---|---|');
    for (const c of l.changes) out.push(`| ${cell(c.subject)}${c.note ? ` (${cell(c.note)})` : ''} | ${c.from ?? '?'} | ${cell(c.to)} |`);
  }
  if (l.checks.length > 0) {
    out.push('', 'Ready when:');
    for (const c of l.checks) {
      const weak = c.premise ? ' — **premise not checked**: only readiness' : ' — **ready-only, not version-checked**';
      out.push(`- ${c.object} ${c.expects}${c.strength === 'ready-only' ? weak : ''}`);
    }
  }
  out.push('');
  return out;
}

/**
 * dist/PLAN.md: the layers in the order Flux runs them, what each changes (from → to), what
 * gates it, and a Mermaid graph. Plain Markdown: it reads on a code-hosting site and in a terminal.
 */
export function renderPlanMarkdown(doc: PlanDocument): string {
  const c = doc.counts;
  const lines = [`# Upgrade plan: fleet ${doc.fleet}`, ''];
  lines.push(`DKP **${doc.from ? `${doc.from} -> ` : ''}${doc.to}**: ${plural(c.layers, 'layer')}, ${plural(c.workspaces, 'workspace')}, `
    + `${c.managedClusters} managed and ${c.attachedClusters} attached cluster${c.managedClusters + c.attachedClusters === 1 ? '' : 's'}, `
    + `${plural(c.waves, 'wave')}.`);
  lines.push(`Layers run by: ${doc.flux.runner} (${doc.flux.kustomizationApiVersion}, namespace ${doc.flux.namespace}).`, '');
  lines.push('## Before you merge', '');
  doc.beforeMerge.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  lines.push('');
  if (doc.rollout.length > 0) {
    lines.push('## Rollout controls', '');
    for (const n of doc.rollout) lines.push(`- ${n}`);
    lines.push('');
  }
  if (doc.notes.length > 0) {
    lines.push('## Notes', '');
    for (const n of doc.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  lines.push(...doc.access);
  lines.push('## Order', '', 'Flux runs the layers in this order; layers of one stage can run side by side, '
    + 'and a wave starts when the previous one is done.', '');
  lines.push('| # | stage | wave | layer | what | gate |', '|---|---|---|---|---|---|');
  for (const l of doc.layers) {
    lines.push(`| ${l.index} | ${l.stage} | ${l.wave ?? ''} | ${code(l.name)} | ${cell(l.summary)} | ${gateOf(l)} |`);
  }
  lines.push('', '## Graph', '');
  if (doc.layers.length > FULL_GRAPH_MAX_LAYERS) {
    lines.push(`More than ${FULL_GRAPH_MAX_LAYERS} layers: workspaces and waves are drawn as one box each.`, '');
  }
  lines.push('```mermaid', mermaidGraph(doc.layers), '```', '', '## Layers', '');
  for (const l of doc.layers) lines.push(...layerSection(l, doc.flux.bootstrap));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
