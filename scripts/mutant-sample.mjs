// A seeded random sample of the mutants of each folder in scope, as Stryker `mutate` ranges (one per mutant, its exact
// location). stryker.config.mjs uses it when MUTATE_SAMPLE is set: a full run of the default scope (about 5,600
// mutants) takes many hours on two CPUs, and a random sample estimates each folder's score in a fraction of that.
// Stryker tests every mutant inside a range, so a mutant that encloses others (a block emptied, a whole condition made
// true) is not drawn: it would bring every mutant inside it along. The sample is of the other mutants (those at the same
// place come together: `a < b` made `true`, `false` and `a <= b`); the enclosing ones are usually the easiest to kill.
import * as fs from 'fs';
import * as path from 'path';
import { Instrumenter } from '@stryker-mutator/instrumenter';

/** The folders the default scope is made of, with the files of each. */
export const SCOPES = {
  planner: ['src/planner'],
  gates: ['src/gates'],
  output: ['src/output'],
  fleet: ['src/fleet', 'src/input/schema.ts'],
};

const quiet = { isDebugEnabled: () => false, isTraceEnabled: () => false, isInfoEnabled: () => false, debug() {}, trace() {}, info() {}, warn() {}, error() {} };

function tsFiles(root, entry) {
  const full = path.join(root, entry);
  if (fs.statSync(full).isFile()) return [entry];
  return fs.readdirSync(full, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(root, path.join(entry, e.name)) : e.name.endsWith('.ts') ? [path.join(entry, e.name)] : []))
    .sort();
}

/** mulberry32: a small seeded generator, so that a sample is the same on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `list` in a seeded random order (Fisher-Yates). */
function shuffled(list, seed) {
  const next = random(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
const same = (a, b) => a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;
/** Does location `a` contain location `b`, and more? */
const encloses = (a, b) => !same(a, b) && before(a.start, b.start) && before(b.end, a.end);

/** Every mutant Stryker makes of `files` (paths relative to `root`). */
export async function mutantsOf(root, files) {
  const { mutants } = await new Instrumenter(quiet).instrument(
    files.map((f) => ({ name: path.join(root, f), content: fs.readFileSync(path.join(root, f), 'utf8'), mutate: true })),
    { plugins: null, excludedMutations: [], ignorers: [], noHeader: false },
  );
  return mutants;
}

/** A mutant's exact location as a Stryker `mutate` pattern (lines from 1, columns from 0, as the instrumenter's are). */
const rangeOf = (root, m) => `${path.relative(root, m.fileName)}:${m.location.start.line + 1}:${m.location.start.column}-${m.location.end.line + 1}:${m.location.end.column}`;

/**
 * Up to `perFolder` mutants of each named folder, drawn without replacement with `seed`.
 * @returns Stryker mutate patterns (`file:line:column-line:column`, lines from 1, columns from 0)
 */
export async function sampleMutants(root, folders, perFolder, seed) {
  const patterns = [];
  for (const folder of folders) {
    const entries = SCOPES[folder];
    if (entries === undefined) throw new Error(`MUTATE_SCOPE: unknown folder ${JSON.stringify(folder)}; folders: ${Object.keys(SCOPES).join(', ')}`);
    const mutants = await mutantsOf(root, entries.flatMap((e) => tsFiles(root, e)));
    const pool = shuffled(mutants.filter((m) => !mutants.some((o) => o !== m && o.fileName === m.fileName && encloses(m.location, o.location))), seed);
    patterns.push(...pool.slice(0, perFolder).map((m) => rangeOf(root, m)));
  }
  return patterns.sort();
}

/**
 * The mutants a mutant log (scripts/stryker-mutant-log.mjs) lists with one of `statuses` (default: survived or not
 * covered), as Stryker `mutate` ranges: to test them again after new tests, without the rest of the sample. With
 * `limit`, a seeded sample of that many places.
 */
export async function survivorsOf(root, logFile, statuses = ['Survived', 'NoCoverage'], limit = Infinity, seed = 14) {
  let results = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((m) => statuses.includes(m.status));
  if (results.length > limit) results = shuffled(results, seed).slice(0, limit);
  const patterns = new Set();
  for (const file of [...new Set(results.map((m) => m.file))].sort()) {
    const mutants = await mutantsOf(root, [file]);
    for (const r of results.filter((m) => m.file === file)) {
      // the log's positions count lines and columns from 1, the instrumenter's from 0
      // every mutant starting where it did: the same one, or what the code there is mutated into now that it changed
      for (const m of mutants.filter((x) => x.location.start.line === r.line - 1 && x.location.start.column === r.column - 1)) {
        patterns.add(rangeOf(root, m));
      }
    }
  }
  return [...patterns].sort();
}
