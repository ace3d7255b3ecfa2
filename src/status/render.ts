import { DependencyStatus, KustomizationStatus, LayerStatus } from './kustomization-status';
import { LAYER_STATES, STATE_WORDS } from './layer-state';
import { StatusReport } from './report';

/**
 * The status report as text for people, and as JSON for scripts. Everything that came from the
 * snapshot (names, Flux's messages) is printed with the characters a terminal acts on escaped.
 */

/** The most names one line lists (the table has every layer, the JSON every dependency). */
const MAX_LISTED = 10;

/** Characters a terminal acts on or hides (as src/input/problems.ts formatProblem escapes them). */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** One line, safe to print: unsafe characters as `\uXXXX`. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Lines of a message that may hold several (a kustomize build error does), each safe. */
function safeLines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n').filter((l) => l.trim() !== '').map(safe);
}

const DETAIL_INDENT = '      ';

function refName(r: { readonly name: string; readonly namespace: string }, layers: ReadonlySet<string>): string {
  return layers.has(r.name) ? safe(r.name) : `${safe(r.namespace)}/${safe(r.name)}`;
}

/** `a, b`: the first {@link MAX_LISTED}, then how many more (the JSON lists them all). */
function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
}

/** `a (running), b (failed)`. */
function deps(list: readonly DependencyStatus[], layers: ReadonlySet<string>): string {
  return listed(list.map((d) => `${refName(d, layers)} (${STATE_WORDS[d.state]})`));
}

/** What Flux said and what dkp-fleet adds, one line each (a multi-line message: several). */
function details(s: KustomizationStatus): string[] {
  const out: string[] = [];
  if (s.state === 'missing') return out; // said once, below the table
  const flux = s.state === 'failed' || s.state === 'running'
    || (s.state === 'waiting' && s.condition !== undefined && s.condition.startsWith('Ready=False') && s.condition !== 'Ready=False DependencyNotReady');
  if (flux && s.condition !== undefined) {
    const [first, ...rest] = s.message === undefined ? [] : safeLines(s.message);
    out.push(`${safe(s.condition)}${first === undefined ? '' : `: ${first}`}`, ...rest.map((l) => `  ${l}`));
  }
  if (s.note !== undefined) out.push(safe(s.note));
  if (s.action !== undefined) out.push(safe(s.action));
  return out;
}

/** `waiting on a (running)`, `done at an older revision`, ... */
function stateLine(s: KustomizationStatus & { readonly waitingOn?: readonly DependencyStatus[] }, layers: ReadonlySet<string>): string {
  const word = STATE_WORDS[s.state];
  if (s.waitingOn === undefined || s.waitingOn.length === 0) return word;
  return s.state === 'waiting' ? `waiting on ${deps(s.waitingOn, layers)}` : `${word}, waiting on ${deps(s.waitingOn, layers)}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/** The report as text: a header, one row per layer in PLAN.md's order, then the active stage and the result. */
export function renderStatus(report: StatusReport): string {
  const names = new Set(report.layers.map((l) => l.name));
  const lines: string[] = [];
  const from = report.from === undefined ? '' : `${report.from} -> `;
  const runner = report.flux.mode === 'hub' ? 'the hub\'s Flux' : report.flux.mode === 'kommander' ? 'Kommander\'s Flux' : `Flux (${safe(report.flux.mode)})`;
  lines.push(`fleet ${safe(report.fleet)}: DKP ${from}${report.to}, ${report.layers.length} layers run by ${runner} in `
    + `namespace${report.flux.namespaces.length === 1 ? '' : 's'} ${report.flux.namespaces.map(safe).join(', ')}`);
  const src = report.source;
  lines.push(`source: ${src.kind} ${safe(src.namespace)}/${safe(src.name)} at ${safe(src.revision)}`);
  const b = report.bootstrap;
  lines.push(`bootstrap: Kustomization ${safe(b.namespace)}/${safe(b.name)} ${STATE_WORDS[b.state]}`);
  for (const d of b.state === 'done' ? [] : details(b)) lines.push(`${DETAIL_INDENT}${d}`);
  lines.push('');

  const rows: [string, string, string, string, string][] = [['#', 'wave', 'namespace', 'layer', 'state']];
  for (const l of report.layers) {
    rows.push([String(l.index), l.wave === undefined ? '' : String(l.wave), safe(l.namespace), safe(l.name), stateLine(l, names)]);
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const row = (r: readonly string[]) => r.map((cell, c) => (c < 4 ? pad(cell, widths[c]) : cell)).join('  ').trimEnd();
  lines.push(row(rows[0]));
  report.layers.forEach((l: LayerStatus, i) => {
    lines.push(row(rows[i + 1]));
    for (const d of details(l)) lines.push(`${DETAIL_INDENT}${d}`);
  });
  lines.push('');

  const missing = report.layers.filter((l) => l.state === 'missing');
  for (const note of new Set(missing.map((l) => l.note ?? ''))) {
    const these = missing.filter((l) => (l.note ?? '') === note);
    const which = these.length === report.layers.length ? 'every layer' : listed(these.map((l) => safe(l.name)));
    lines.push(`missing: ${which}${note === '' ? '' : ` (${safe(note)})`}`);
  }
  const a = report.active;
  if (a === null) {
    lines.push(`active: none: every layer is done at ${safe(report.source.revision)}`);
  } else {
    const before = a.wave === undefined && report.waves.length > 0 ? ` (the layers before wave ${report.waves[0]})` : '';
    lines.push(`active: ${a.stage}${before}, ${a.done} of ${a.layers} layers done`);
    const list = deps(a.blockedBy, names);
    lines.push(a.blocker === 'next' ? `blocked by: nothing failed, held or running; next to run: ${list}`
      : a.blocker === 'bootstrap' ? `blocked by: the bootstrap Kustomization ${list}` : `blocked by: ${list}`);
  }
  const activeFailed = new Set(a === null ? [] : a.blockedBy.filter((d) => d.state === 'failed').map((d) => d.name));
  const alsoFailed = report.failed.filter((f) => !activeFailed.has(f.name));
  if (alsoFailed.length > 0) {
    lines.push(`${activeFailed.size > 0 || a === null ? 'also failed' : 'failed'}: ${listed(alsoFailed.map((f) => refName(f, names)))}`);
  }
  if (report.stale.length > 0) {
    lines.push(`stale: ${report.stale.length} Kustomization${report.stale.length === 1 ? '' : 's'} of fleet ${safe(report.fleet)} that the plan `
      + 'no longer has (the bootstrap Kustomization deletes them if it prunes; else delete them)');
    const width = Math.max(...report.stale.map((s) => `${safe(s.namespace)}/${safe(s.name)}`.length));
    for (const s of report.stale) lines.push(`  ${pad(`${safe(s.namespace)}/${safe(s.name)}`, width)}  ${STATE_WORDS[s.state]}`);
  }
  lines.push(`layers: ${LAYER_STATES.filter((s) => report.counts[s] > 0).map((s) => `${report.counts[s]} ${STATE_WORDS[s]}`).join(', ')}`);
  const result = report.result === 'done' ? 'done: every layer is done at this revision' : report.result === 'failed' ? 'failed' : 'in progress';
  lines.push(`result: ${result} (exit ${report.exitCode})`);
  return `${lines.join('\n')}\n`;
}

/** Sorts the keys of every mapping, so the JSON is the same for the same report. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The report as JSON (`--json`): the {@link StatusReport} shape, keys sorted, two-space indented. */
export function renderStatusJson(report: StatusReport): string {
  return `${JSON.stringify(sortedKeys(report), null, 2)}\n`;
}
