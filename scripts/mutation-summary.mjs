// Per-folder mutation scores from the mutant logs of one or more runs (scripts/stryker-mutant-log.mjs writes them):
//   node scripts/mutation-summary.mjs [reports/mutation/**/mutants.jsonl ...]
// A place tested in several logs counts by its latest results (later logs win). Score = (killed + timed out) /
// (killed + timed out + survived + no coverage), as Stryker computes it; a mutant the type checker rejected, one that
// broke the test run itself (RuntimeError) and a static one left out (Ignored) do not count. For a sampled run the score
// is an estimate: the 95% interval (Wilson) is printed beside it.
// A result is counted only while the code still has that mutant (same place, mutator and replacement): one whose code
// changed or went since its run is stale, left out of the scores and listed, to be tested again.
// Survivors listed in scripts/equivalent-mutants.json (file and line, with the mutator and replacement where given, and why no test can notice them)
// are counted apart, with the score without them; every other survivor is printed, to be killed by a test or listed.
import * as fs from 'fs';
import * as path from 'path';
import { mutantsOf, SCOPES } from './mutant-sample.mjs';

/** The folder of the default scope a file belongs to (src/input/schema.ts counts with the fleet validation). */
const folderOf = (file) => Object.keys(SCOPES).find((folder) => SCOPES[folder].some((e) => file === e || file.startsWith(`${e}/`))) ?? 'other';

function findLogs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
    ? findLogs(path.join(dir, e.name)) : e.name === 'mutants.jsonl' ? [path.join(dir, e.name)] : []));
}

function wilson(k, n) {
  if (n === 0) return [0, 0];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

/** Mutants no test can kill, with the reason (docs/mutation.md): matched by file, line, mutator and replacement. */
const EQUIVALENT = JSON.parse(fs.readFileSync(new URL('./equivalent-mutants.json', import.meta.url), 'utf8'));
const isEquivalent = (m) => EQUIVALENT.some((e) => e.file === m.file && e.line === m.line && (e.mutator === undefined || e.mutator === m.mutatorName)
  && (e.replacement === undefined || e.replacement === m.replacement));
// Given logs count in the order given; found ones in the order they were last written (a retest after the run it retests).
const files = process.argv.length > 2 ? process.argv.slice(2)
  : findLogs('reports/mutation').sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
// Results by place (file, line, column): a later log that tested a place replaces every earlier result there (the
// code may have changed, and with it the mutants at that place).
const byPlace = new Map();
for (const f of files) {
  const here = new Map();
  for (const line of fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
    const m = JSON.parse(line);
    const place = `${m.file}:${m.line}:${m.column}`;
    here.set(place, [...(here.get(place) ?? []), m]);
  }
  for (const [place, results] of here) byPlace.set(place, results);
}
// The mutants of the code as it is now, by file: a result counts only if its mutant is still there.
const current = new Set();
for (const file of [...new Set([...byPlace.values()].flat().map((m) => m.file))].sort()) {
  if (!fs.existsSync(file)) continue;
  for (const m of await mutantsOf(process.cwd(), [file])) {
    current.add(`${file}:${m.location.start.line + 1}:${m.location.start.column + 1}:${m.mutatorName}:${m.replacement}`);
  }
}
const isCurrent = (m) => current.has(`${m.file}:${m.line}:${m.column}:${m.mutatorName}:${m.replacement}`);
const stale = [];
const rows = new Map();
const others = [];
for (const m of [...byPlace.values()].flat()) {
  if (!isCurrent(m)) {
    stale.push(m);
    continue;
  }
  const r = rows.get(folderOf(m.file)) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, equivalent: 0, other: 0 };
  if (m.status in r) r[m.status]++; else r.other++;
  if ((m.status === 'Survived' || m.status === 'NoCoverage')) {
    if (isEquivalent(m)) r.equivalent++;
    else others.push(m);
  }
  rows.set(folderOf(m.file), r);
}
const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log('folder    killed  survived  no coverage  equivalent  not counted  score   95% interval   without equivalent');
for (const [folder, r] of [...rows].sort()) {
  const detected = r.Killed + r.Timeout;
  const valid = detected + r.Survived + r.NoCoverage;
  const [lo, hi] = wilson(detected, valid);
  const net = valid - r.equivalent;
  console.log(`${folder.padEnd(9)} ${String(detected).padStart(6)} ${String(r.Survived).padStart(9)} ${String(r.NoCoverage).padStart(12)} `
    + `${String(r.equivalent).padStart(11)} ${String(r.other).padStart(12)}  ${valid ? pct(detected / valid).padStart(6) : '     -'}  `
    + `${valid ? `${pct(lo)}-${pct(hi)}`.padEnd(13) : ''.padEnd(13)}  ${net ? pct(detected / net).padStart(6) : '     -'}`);
}
const staleSurvivors = stale.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
if (stale.length > 0) {
  console.log(`\nstale (the code changed or went since the run; not counted): ${stale.length} results, ${staleSurvivors.length} of them survivors`);
  for (const m of staleSurvivors) console.log(`  ${m.file}:${m.line}:${m.column} ${m.mutatorName} ${JSON.stringify(m.replacement)} (${m.status})`);
}
if (others.length > 0) {
  console.log('\nsurvivors not listed as equivalent:');
  for (const m of others) console.log(`  ${m.file}:${m.line}:${m.column} ${m.mutatorName} ${JSON.stringify(m.replacement)} (${m.status})`);
}
