import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { FleetError, formatProblem, Problem } from '../../src/input/problems';
import { checkInvariants } from '../../src/planner/invariants';
import { synthToDist } from '../../src/synth';
import { bootstrapOf, copyAddonFolders, describeWithShared, fingerprint, HAVE_SHARED, layersFromDist, ROOT, tempDir } from '../helpers';
import { fleetShape, orderViolationsOf } from '../oracles/order';
import { schemaErrors } from '../proof-helpers';

/**
 * Fuzzing: random mutations of the shipped fleets (delete, duplicate, rename or retype keys, change
 * values to hostile or plausible ones, clone clusters, move waves, truncate the text, inject
 * characters). Each mutant is synthesized into a fresh output folder, so a valid one reaches the
 * output (no removal guard in the way), and must either:
 * - synthesize valid output: DESIGN's order by the test's own oracle (test/oracles/order.ts) and by
 *   src's invariants, one bootstrap dependency, schemas; or
 * - be refused with well-formed, one-line problems, at least one of them about what the mutation
 *   changed (its path is the changed field, inside it or around it, names a changed value, or sits on
 *   a changed line), nothing written; a sample also through the real process (exit 1, exactly those
 *   lines on stderr, no stack trace), and a sample over the source's own output (left byte-for-byte as
 *   it was).
 * Any other exception is an internal error, a bug. A minimum share of the mutants must synthesize:
 * a fuzzer whose mutants are all refused proves nothing about the output.
 *
 * Reproduce a failure with FC_SEED=<seed> FC_PATH=<path> (printed by fast-check).
 */
const SEED = Number(process.env.FC_SEED ?? 424242);
const RUNS = Number(process.env.FC_FUZZ_RUNS ?? 400);
const PROCESS_SAMPLE = 8;
/** Every this many refusals, the mutant is also synthesized over its source's output, which must not change. */
const GUARDED_EVERY = 5;
/** At least this share of the mutants synthesize and validate. */
const MIN_SYNTHESIZED = 0.25;
const MAIN = path.join(ROOT, 'lib', 'src', 'main.js');

const SOURCES = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`)]
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(ROOT, f), 'utf8') }));

/** Values to put where another value was: wrong types, edge cases, hostile strings, plausible neighbours. */
const VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1, 2, 1.5, 1e21, Infinity, '', ' ', 'x', 'X_Y', '-a-', 'a'.repeat(70), 'b'.repeat(5000), [], [null], {}, { name: 'x' }, [{}],
  '1.21', 1.21, '1.21.6', '1.22.8', '1.23.12', '1.20.15', '1.24.0', 'v1.22.8', '2.1.1', '2.2.1', '2.2.3', '2.3.0', '2.3.2', '2.4.0', '9.9.9', 'latest',
  'hub', 'kommander', 'managed', 'attached', 'aws', 'gcp', 'openstack', 'kafka-operator', 'zookeeper-operator', 'spark-operator', 'traefik', 'mgmt',
  'kommander-flux', 'kommander', '10m', '0s', '1h30m', './dist', '../x', '.', 'GitRepository', 'OCIRepository', 'Bucket', '>=1.21.0 <1.23.0', '*', '<0.0.0',
  'a\u0000b', '\u001b[31mred', 'a\nb', 'x\u202ey', '__proto__', 'constructor', 1000, 1001, 5000,
];
const CHARS = [
  ':', '-', '[', ']', '{', '}', '"', "'", '\t', '\n', ' ', '&a ', '*a', '!!str ', '%', '@', '`', '#', '|', '>', '?', ',', '\u0000', '\u001b', '\u202e', 'é',
  '\ufeff', '\r',
];

type Key = string | number;
const DATA_OPS = ['delete', 'duplicate', 'rename', 'set', 'neighbour', 'clone-cluster', 'wave'] as const;
type Mutation = { op: typeof DATA_OPS[number] | 'truncate' | 'inject' | 'cut' | 'repeat-line'; at: number; value: number };

const op = (...ops: Mutation['op'][]): fc.Arbitrary<Mutation> => fc.record({ op: fc.constantFrom(...ops), at: fc.nat(), value: fc.nat() });
/** Half the mutants are plausible edits (a neighbouring value, a cloned cluster, a moved wave), half anything, hostile included. */
const mutations: fc.Arbitrary<Mutation[]> = fc.oneof(
  fc.array(op('neighbour', 'neighbour', 'clone-cluster', 'wave'), { minLength: 1, maxLength: 3 }),
  fc.array(op('delete', 'duplicate', 'rename', 'set', 'set', 'neighbour', 'clone-cluster', 'wave', 'truncate', 'inject', 'inject', 'cut', 'repeat-line'),
    { minLength: 1, maxLength: 3 }),
);

/** Every path to a value in the document, in a stable order. */
function paths(value: unknown, prefix: Key[] = []): Key[][] {
  const out: Key[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function parentOf(doc: any, p: Key[]): any {
  return p.slice(0, -1).reduce((o, k) => o[k], doc);
}

/**
 * A value of the same kind next to this one: a patch version up, a name with a suffix, a number up, a flag flipped, a list
 * reversed; in a mapping or a one-item list, one value inside it.
 */
function neighbour(v: unknown, n: number): unknown {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1 + (n % 2);
  if (Array.isArray(v)) return v.length > 1 ? [...v].reverse() : v.map((x) => neighbour(x, n));
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return v;
    const k = keys[n % keys.length];
    return { ...v, [k]: neighbour((v as Record<string, unknown>)[k], Math.floor(n / keys.length)) };
  }
  if (typeof v !== 'string') return v;
  const semver = /^(v?)(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (semver) return n % 3 === 0 ? `${semver[1]}${semver[2]}.${Number(semver[3]) + 1}.0` : `${semver[1]}${semver[2]}.${semver[3]}.${Number(semver[4]) + 1}`;
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v)) return `${v}-${'bcd'[n % 3]}`;
  return v;
}

/** Workspace clusters, as paths to their entries. */
function clusterPaths(doc: any): Key[][] {
  const workspaces = doc?.spec?.workspaces;
  return (Array.isArray(workspaces) ? workspaces : []).flatMap((w: any, i: number) =>
    (Array.isArray(w?.clusters) ? w.clusters : []).map((_: unknown, j: number) => ['spec', 'workspaces', i, 'clusters', j]));
}

function mutateData(doc: any, m: Mutation): void {
  if (m.op === 'clone-cluster' || m.op === 'wave') {
    const isCluster = (c: any) => c !== null && typeof c === 'object' && !Array.isArray(c) && c.type !== 'attached';
    const clusters = clusterPaths(doc).filter((p) => isCluster(parentOf(doc, p)[p[p.length - 1]]));
    if (clusters.length === 0) return;
    const p = clusters[m.at % clusters.length];
    const list = parentOf(doc, p);
    const c = list[p[p.length - 1]];
    if (m.op === 'wave') {
      c.wave = 1 + (m.value % 3);
      return;
    }
    const copy = structuredClone(c);
    copy.name = `${c.name}-${m.value % 97}`;
    if (Array.isArray(copy.nodePools)) copy.nodePools = copy.nodePools.map((np: any) => ({ ...np, name: `${copy.name}-${String(np?.name).split('-').pop()}` }));
    if (typeof copy.controlPlane?.name === 'string') copy.controlPlane.name = `${copy.name}-control-plane`;
    copy.wave = 1 + (m.value % 3);
    list.push(copy);
    return;
  }
  const all = paths(doc);
  if (all.length === 0) return;
  const p = all[m.at % all.length];
  const parent = parentOf(doc, p);
  const key = p[p.length - 1];
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
      else parent[`${key}${m.value % 2 === 0 ? 's' : ''}`.replace(/^(.)(.)/, m.value % 3 === 0 ? '$2$1' : '$1$2')] = structuredClone(parent[key]);
      break;
    case 'rename':
      if (!Array.isArray(parent)) {
        const v = parent[key];
        delete parent[key];
        parent[String(key).slice(0, -1) + String.fromCharCode(97 + (m.value % 26))] = v;
      }
      break;
    case 'set':
      parent[key] = structuredClone(VALUES[m.value % VALUES.length]);
      break;
    case 'neighbour':
      parent[key] = neighbour(parent[key], m.value);
      break;
  }
}

/** Applies a text mutation; returns the text and the 1-based line it changed. */
function mutateText(text: string, m: Mutation): { text: string; line: number } {
  const at = text.length === 0 ? 0 : m.at % text.length;
  const line = text.slice(0, at).split('\n').length;
  switch (m.op) {
    case 'truncate':
      return { text: text.slice(0, at), line };
    case 'inject':
      return { text: text.slice(0, at) + CHARS[m.value % CHARS.length] + text.slice(at), line };
    case 'cut':
      return { text: text.slice(0, at) + text.slice(at + 1 + (m.value % 40)), line };
    case 'repeat-line': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return { text: lines.join('\n'), line: i + 1 };
    }
    default:
      return { text, line };
  }
}

interface Mutant {
  readonly text: string;
  /** Lines of the mutant's text that text mutations changed. */
  readonly lines: readonly number[];
}

/** Applies the mutations: data ones on the parsed document, then text ones on its YAML. */
function mutant(source: { text: string }, mutations: readonly Mutation[]): Mutant {
  const dataOps = mutations.filter((m) => (DATA_OPS as readonly string[]).includes(m.op));
  let text = source.text;
  if (dataOps.length > 0) {
    const doc = YAML.parse(source.text);
    for (const m of dataOps) mutateData(doc, m);
    text = YAML.stringify(doc);
  }
  const lines: number[] = [];
  for (const m of mutations.filter((x) => !dataOps.includes(x))) {
    const r = mutateText(text, m);
    text = r.text;
    lines.push(r.line);
  }
  return { text, lines };
}

/** `spec.workspaces[0].clusters[1].name`: a path as problems name it. */
function pathString(p: readonly Key[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

interface Change {
  readonly path: string;
  /** The scalar values before and after, as text (empty for collections). */
  readonly values: readonly string[];
}

/** Where two parsed documents differ. */
function changes(a: unknown, b: unknown, p: Key[] = []): Change[] {
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => changes(a[i], b[i], [...p, i])).flat();
  }
  if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    return keys.flatMap((k) => changes((a as any)[k], (b as any)[k], [...p, k]));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const scalar = (x: unknown) => (isObj(x) || x === undefined ? [] : [String(x)]);
  return [{ path: pathString(p), values: [...scalar(a), ...scalar(b)] }];
}

/** Lines of the mutant's text where the changed paths are (or their nearest existing parent). */
function changedLines(text: string, cs: readonly Change[]): number[] {
  const doc = YAML.parseDocument(text);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const out: number[] = [];
  for (const c of cs) {
    const keys = c.path.match(/[^.[\]]+/g)?.map((k) => (/^\d+$/.test(k) ? Number(k) : k)) ?? [];
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        out.push(lineOf(node.range[0]));
        break;
      }
    }
  }
  return out;
}

/** Whether a problem is about what the mutation changed. */
function about(p: Problem, cs: readonly Change[], lines: readonly number[]): boolean {
  const within = (a: string, b: string) => b === '' || a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  const at = p.path === '(document)' ? '' : p.path;
  if (cs.some((c) => within(at, c.path) || within(c.path, at))) return true;
  // A changed value named in the message: as written, dashed (a release in a name: 2.2.1 -> 2-2-1), or after its key (wave-3).
  const named = (c: Change, v: string) => {
    const key = c.path.split(/[.[]/).pop()!;
    return [v, v.replace(/\./g, '-'), `${key}-${v}`, `${key} ${v}`].some((x) => x.length >= 3 && p.message.includes(x));
  };
  if (cs.some((c) => c.values.some((v) => named(c, v)))) return true;
  if (p.line === undefined || lines.length === 0) return false;
  // Malformed YAML shows at the change or after it, never before: the text before the first change is the source's.
  if (p.path === '(syntax)') return p.line >= Math.min(...lines) - 1;
  return lines.some((l) => Math.abs(l - p.line!) <= 1);
}

/** `<file>[:line]: <path>: <message>`, one line, nothing a terminal would act on. */
function wellFormed(line: string, file: string): string | undefined {
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(line)) return 'holds a control or format character';
  if (line.length > 2000) return `is ${line.length} characters long`;
  const m = /^(.+?)(?::(\d+))?: (\(\w+\)|\S.*?): (\S.*)$/.exec(line);
  if (!m) return 'is not "<file>[:line]: <path>: <message>"';
  if (m[1] !== file && !m[1].endsWith('.yaml')) return `names file ${m[1]}`;
  return undefined;
}

describe('fuzzing the shipped fleets', () => {
  test(`every mutant synthesizes valid output into a fresh folder, or is refused for what it changed (seed ${SEED}, ${RUNS} runs)`, () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    const file = path.join(dir, 'fleet.yaml');
    // The addon folders each shipped fleet names, relative to it, beside the mutants' file: a mutant finds them as its source does.
    for (const source of SOURCES) copyAddonFolders(YAML.parse(source.text), dir, path.dirname(path.join(ROOT, source.name)));
    // Each source's own output, for the refusals synthesized over it.
    const bases = SOURCES.map((source, i) => {
      const base = path.join(tempDir(), 'dist');
      fs.writeFileSync(file, source.text);
      synthToDist({ fleetFile: file, outdir: base });
      return { base, fingerprint: fingerprint(base), index: i };
    });
    const entries = [...fs.readdirSync(dir)].sort().join();
    const stats = { refused: 0, synthesized: 0, unchanged: 0, throughProcess: 0, guarded: 0, problems: 0 };

    fc.assert(fc.property(fc.nat({ max: SOURCES.length - 1 }), mutations, (s, mutations) => {
      const m = mutant(SOURCES[s], mutations);
      const text = m.text;
      const show = `--- mutations ---\n${JSON.stringify(mutations)} of ${SOURCES[s].name}\n--- mutant ---\n${text.slice(0, 5000)}`;
      fs.writeFileSync(file, text);
      fs.rmSync(out, { recursive: true, force: true });
      let problems: readonly Problem[];
      try {
        synthToDist({ fleetFile: file, outdir: out });
      } catch (e) {
        if (!(e instanceof FleetError)) throw new Error(`internal error (a bug) on a mutant of ${SOURCES[s].name}: ${(e as Error).stack}\n${show}`);
        problems = e.problems;
        const lines = problems.map(formatProblem);
        if (lines.length === 0) throw new Error('a FleetError without problems');
        for (const l of lines) {
          const bad = wellFormed(l, file);
          if (bad) throw new Error(`malformed problem line (${bad}): ${JSON.stringify(l)}\n${show}`);
        }
        if (fs.existsSync(out)) throw new Error(`a refused synthesis wrote ${out}\n${show}`);
        if (fs.readdirSync(dir).sort().join() !== entries) throw new Error(`left files beside the output folder: ${fs.readdirSync(dir)}\n${show}`);
        // The refusal must be about the change: its field, a field inside or around it, a changed value, or a changed line.
        let parsed: unknown;
        try {
          parsed = YAML.parse(text, { logLevel: 'error' });
        } catch {
          parsed = undefined;
        }
        const cs = parsed === undefined ? [] : changes(YAML.parse(SOURCES[s].text), parsed);
        const near = [...m.lines, ...(parsed === undefined ? [] : changedLines(text, cs))];
        if (!problems.some((p) => about(p, cs, near))) {
          throw new Error(`refused for something the mutation did not change:\n${lines.join('\n')}\n--- changed ---\n`
            + `${JSON.stringify(cs.slice(0, 20))} lines ${near.join(', ')}\n${show}`);
        }
        stats.refused++;
        stats.problems += lines.length;
        if (stats.refused % GUARDED_EVERY === 1) {
          // Over the source's own output (same fleet name, so the removal guard compares): left byte-for-byte as it was.
          const { base, fingerprint: before } = bases[s];
          expect(() => synthToDist({ fleetFile: file, outdir: base })).toThrow(FleetError);
          if (JSON.stringify(fingerprint(base)) !== JSON.stringify(before)) throw new Error(`a refused synthesis changed the existing output\n${show}`);
          stats.guarded++;
        }
        if (stats.throughProcess < PROCESS_SAMPLE && stats.refused % 7 === 1) {
          const r = spawnSync(process.execPath, [MAIN], {
            cwd: dir, encoding: 'utf8', env: { ...process.env, FLEET: 'fleet.yaml', FLEET_OUT: 'out', DKP_FLEET_DEBUG: '' },
          });
          const want = `dkp-fleet: fleet.yaml was refused (${lines.length} problem${lines.length === 1 ? '' : 's'}); out/ was not changed\n`
            + lines.map((l) => `  ${l.split(`${dir}/`).join('')}\n`).join('');
          if (r.status !== 1 || r.stderr !== want || /\n\s+at /.test(r.stderr)) {
            throw new Error(`through the process: exit ${r.status}, stderr:\n${r.stderr}\nexpected:\n${want}`);
          }
          if (fs.existsSync(out)) throw new Error('a refused synthesis (process) wrote the output folder');
          stats.throughProcess++;
        }
        return;
      }
      // Synthesized: the output must be as good as any.
      const order = orderViolationsOf(fleetShape(YAML.parse(text, { logLevel: 'error' })), out);
      if (order.length > 0) throw new Error(`DESIGN's order broken (oracle): ${order.slice(0, 10).join('; ')}\n${show}`);
      const violations = checkInvariants(layersFromDist(out));
      if (violations.length > 0) throw new Error(`ordering invariants broken: ${violations.slice(0, 10).join('; ')}\n${show}`);
      const bootstrap = bootstrapOf(out);
      if (bootstrap.length !== 1) throw new Error(`mgmt-preflight depends on ${JSON.stringify(bootstrap)} outside the layers, not one bootstrap\n${show}`);
      if (HAVE_SHARED) {
        const errors = schemaErrors(out);
        if (errors.length > 0) throw new Error(`schema errors: ${errors.slice(0, 10).join('; ')}\n${show}`);
      }
      if (changes(YAML.parse(SOURCES[s].text), YAML.parse(text, { logLevel: 'error' })).length === 0) stats.unchanged++;
      stats.synthesized++;
    }), { seed: SEED, numRuns: RUNS, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}), endOnFailure: process.env.FC_SHRINK === undefined });

    process.stderr.write(`fuzz: ${RUNS} mutants: ${stats.synthesized} synthesized (${stats.unchanged} with the source's data), `
      + `${stats.refused} refused (${stats.problems} problems), ${stats.guarded} over an existing output, ${stats.throughProcess} through the process `
      + `(seed ${SEED})\n`);
    expect(stats.synthesized + stats.refused).toBe(RUNS);
    // The share holds from 100 runs on (a short run, FC_FUZZ_RUNS=30 under Stryker, needs only some).
    expect(stats.synthesized - stats.unchanged).toBeGreaterThanOrEqual(RUNS >= 100 ? Math.ceil(MIN_SYNTHESIZED * RUNS) : 1);
    expect(stats.throughProcess).toBe(Math.min(PROCESS_SAMPLE, Math.ceil(stats.refused / 7)));
    expect(stats.guarded).toBe(Math.ceil(stats.refused / GUARDED_EVERY));
  }, 900000);
});

if (!HAVE_SHARED) {
  describeWithShared('fuzzing the shipped fleets: every synthesized mutant valid against its upstream schemas', () => {
    test('(runs as part of the fuzz run above when ../shared is present)', () => undefined);
  });
}
