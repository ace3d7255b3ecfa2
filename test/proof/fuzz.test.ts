import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { FleetError, formatProblem } from '../../src/input/problems';
import { checkInvariants } from '../../src/planner/invariants';
import { synthToDist } from '../../src/synth';
import { bootstrapOf, copyAddonFolders, describeWithShared, fingerprint, HAVE_SHARED, layersFromDist, ROOT, tempDir } from '../helpers';
import { schemaErrors } from '../proof-helpers';

/**
 * Fuzzing: random mutations of the shipped fleets (delete, duplicate or retype keys, change
 * values, truncate the text, inject characters). Every mutant must either synthesize valid
 * output (ordering invariants and schemas hold) or be refused cleanly: a FleetError whose
 * problems are well-formed one-line messages, dist/ byte-for-byte unchanged; a sample also
 * through the real process (exit 1, exactly those lines on stderr, no stack trace). Any other
 * exception is an internal error, a bug.
 *
 * Reproduce a failure with FC_SEED=<seed> FC_PATH=<path> (printed by fast-check).
 */
const SEED = Number(process.env.FC_SEED ?? 424242);
const RUNS = Number(process.env.FC_FUZZ_RUNS ?? 400);
const PROCESS_SAMPLE = 8;
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
type Mutation =
  | { op: 'delete' | 'duplicate' | 'rename' | 'set'; at: number; value: number }
  | { op: 'truncate' | 'inject' | 'cut' | 'repeat-line'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'duplicate', 'rename', 'set', 'set', 'set', 'truncate', 'inject', 'inject', 'cut', 'repeat-line'),
  at: fc.nat(),
  value: fc.nat(),
}) as fc.Arbitrary<Mutation>;

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

function mutateData(doc: any, m: Mutation): void {
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
  }
}

function mutateText(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'inject':
      return text.slice(0, at) + CHARS[m.value % CHARS.length] + text.slice(at);
    case 'cut':
      return text.slice(0, at) + text.slice(at + 1 + (m.value % 40));
    case 'repeat-line': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    default:
      return text;
  }
}

/** Applies the mutations: data ones on the parsed document, then text ones on its YAML. */
function mutant(source: { text: string }, mutations: readonly Mutation[]): string {
  const dataOps = mutations.filter((m) => ['delete', 'duplicate', 'rename', 'set'].includes(m.op));
  let text = source.text;
  if (dataOps.length > 0) {
    const doc = YAML.parse(source.text);
    for (const m of dataOps) mutateData(doc, m);
    text = YAML.stringify(doc);
  }
  for (const m of mutations.filter((x) => !dataOps.includes(x))) text = mutateText(text, m);
  return text;
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
  test(`every mutant synthesizes valid output or is refused cleanly, dist/ unchanged (seed ${SEED}, ${RUNS} runs)`, () => {
    const dir = tempDir();
    const dist = path.join(dir, 'dist');
    const file = path.join(dir, 'fleet.yaml');
    // The addon folders each shipped fleet names, relative to it, beside the mutants' file: a mutant finds them as its source does.
    for (const source of SOURCES) copyAddonFolders(YAML.parse(source.text), dir, path.dirname(path.join(ROOT, source.name)));
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    const entries = [...fs.readdirSync(dir), 'fleet.yaml'].sort().join();
    let before = fingerprint(dist);
    const stats = { refused: 0, synthesized: 0, throughProcess: 0, problems: 0 };

    fc.assert(fc.property(fc.nat({ max: SOURCES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (s, mutations) => {
      const text = mutant(SOURCES[s], mutations);
      fs.writeFileSync(file, text);
      let lines: string[];
      try {
        synthToDist({ fleetFile: file, outdir: dist });
      } catch (e) {
        if (!(e instanceof FleetError)) {
          throw new Error(`internal error (a bug) on a mutant of ${SOURCES[s].name}: ${(e as Error).stack}\n--- mutant ---\n${text.slice(0, 5000)}`);
        }
        lines = e.problems.map(formatProblem);
        if (lines.length === 0) throw new Error('a FleetError without problems');
        for (const l of lines) {
          const bad = wellFormed(l, file);
          if (bad) throw new Error(`malformed problem line (${bad}): ${JSON.stringify(l)}\n--- mutant ---\n${text.slice(0, 5000)}`);
        }
        const now = fingerprint(dist);
        if (JSON.stringify(now) !== JSON.stringify(before)) throw new Error('a refused synthesis changed dist/');
        if (fs.readdirSync(dir).sort().join() !== entries) throw new Error(`left files beside dist/: ${fs.readdirSync(dir)}`);
        stats.refused++;
        stats.problems += lines.length;
        if (stats.throughProcess < PROCESS_SAMPLE && stats.refused % 7 === 1) {
          const r = spawnSync(process.execPath, [MAIN], {
            cwd: dir, encoding: 'utf8', env: { ...process.env, FLEET: 'fleet.yaml', FLEET_OUT: 'dist', DKP_FLEET_DEBUG: '' },
          });
          const want = `dkp-fleet: fleet.yaml was refused (${lines.length} problem${lines.length === 1 ? '' : 's'}); dist/ was not changed\n`
            + lines.map((l) => `  ${l.split(`${dir}/`).join('')}\n`).join('');
          if (r.status !== 1 || r.stderr !== want || /\n\s+at /.test(r.stderr)) {
            throw new Error(`through the process: exit ${r.status}, stderr:\n${r.stderr}\nexpected:\n${want}`);
          }
          if (JSON.stringify(fingerprint(dist)) !== JSON.stringify(before)) throw new Error('a refused synthesis (process) changed dist/');
          stats.throughProcess++;
        }
        return;
      }
      // Synthesized: the output must be as good as any.
      const violations = checkInvariants(layersFromDist(dist));
      if (violations.length > 0) throw new Error(`ordering invariants broken: ${violations.slice(0, 10).join('; ')}\n--- mutant ---\n${text}`);
      const bootstrap = bootstrapOf(dist);
      if (bootstrap.length !== 1) {
        throw new Error(`mgmt-preflight depends on ${JSON.stringify(bootstrap)} outside the layers, not one bootstrap\n--- mutant ---\n${text}`);
      }
      if (HAVE_SHARED) {
        const errors = schemaErrors(dist);
        if (errors.length > 0) throw new Error(`schema errors: ${errors.slice(0, 10).join('; ')}\n--- mutant ---\n${text}`);
      }
      before = fingerprint(dist);
      stats.synthesized++;
    }), { seed: SEED, numRuns: RUNS, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}), endOnFailure: process.env.FC_SHRINK === undefined });

    process.stderr.write(`fuzz: ${RUNS} mutants: ${stats.synthesized} synthesized, ${stats.refused} refused (${stats.problems} problems), `
      + `${stats.throughProcess} through the process (seed ${SEED})\n`);
    expect(stats.synthesized + stats.refused).toBe(RUNS);
    expect(stats.synthesized).toBeGreaterThan(0);
    expect(stats.throughProcess).toBe(Math.min(PROCESS_SAMPLE, Math.ceil(stats.refused / 7)));
  }, 600000);
});

if (!HAVE_SHARED) {
  describeWithShared('fuzzing the shipped fleets: every synthesized mutant valid against its upstream schemas', () => {
    test('(runs as part of the fuzz run above when ../shared is present)', () => undefined);
  });
}
