// npm run bench [-- --sizes 10,100,1000,5000] [--repeat 3] [--keep]
// DESIGN §8: for fleets of each size, a full synthesis in a fresh process and, in the same run,
// the floor (the same documents written to the same files with `yaml` and nothing else); then
// `check` on the unchanged output. Prints a table and writes bench/results.json.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchFleetYaml } from './fleet-generator';
import { Measurement } from './measure';

interface Options {
  readonly sizes: number[];
  readonly repeat: number;
  readonly keep: boolean;
}

interface Row {
  readonly clusters: number;
  readonly files: number;
  readonly bytes: number;
  /** Median synthesis (work only; Node start and module loading in `synthStartupMs`). */
  readonly synthMs: number;
  readonly synthCpuMs: number;
  readonly synthStartupMs: number;
  readonly floorMs: number;
  readonly floorCpuMs: number;
  readonly floorStartupMs: number;
  /** synthMs / floorMs: the figure DESIGN §8 targets (≤ 1.5 at 1,000 clusters). */
  readonly ratio: number;
  /** (synth start-up + work) / (floor start-up + work): the same for whole processes. */
  readonly processRatio: number;
  readonly synthMsPerCluster: number;
  /** CPU milliseconds of the synthesis per cluster: less sensitive than wall time to a slow disk. */
  readonly synthCpuMsPerCluster: number;
  readonly floorMsPerCluster: number;
  readonly peakRss: number;
  readonly checkMs: number;
  readonly checkRatio: number;
  /** The floor wrote byte-for-byte what the synthesis wrote. */
  readonly identical: boolean;
}

function parseArgs(argv: string[]): Options {
  let sizes = [10, 100, 1000, 5000];
  let repeat = 3;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') sizes = (argv[++i] ?? '').split(',').map(Number);
    else if (a === '--repeat') repeat = Number(argv[++i]);
    else if (a === '--keep') keep = true;
    else usage(`unknown argument ${a}`);
  }
  if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) usage('--sizes takes positive integers, comma-separated');
  if (!Number.isInteger(repeat) || repeat < 1) usage('--repeat takes a positive integer');
  return { sizes, repeat, keep };
}

function usage(problem: string): never {
  process.stderr.write(`bench: ${problem}\nusage: npm run bench -- [--sizes 10,100,1000,5000] [--repeat 3] [--keep]\n`);
  process.exit(2);
}

/** Runs a child script of lib/bench in a fresh Node process and returns its measurement. */
function child(script: string, args: string[]): Measurement {
  const r = spawnSync(process.execPath, [path.join(__dirname, script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

function median(ms: Measurement[]): Measurement {
  const sorted = [...ms].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)];
}

function sameTrees(a: string, b: string): boolean {
  const list = (d: string) => fs.readdirSync(d, { recursive: true, encoding: 'utf8' }).sort();
  const files = list(a);
  if (files.join('\n') !== list(b).join('\n')) return false;
  return files.every((f) => {
    const p = path.join(a, f);
    return fs.statSync(p).isDirectory() || fs.readFileSync(p).equals(fs.readFileSync(path.join(b, f)));
  });
}

function runSize(clusters: number, repeat: number, work: string): Row {
  const dir = path.join(work, String(clusters));
  fs.mkdirSync(dir, { recursive: true });
  const fleet = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(fleet, benchFleetYaml({ clusters }));
  fs.cpSync(path.join(__dirname, '..', '..', 'examples', 'addons-azure'), path.join(dir, 'addons'), { recursive: true });
  const synthOut = path.join(dir, 'dist');
  const floorOut = path.join(dir, 'floor');
  const synths: Measurement[] = [];
  const floors: Measurement[] = [];
  for (let i = 0; i < repeat; i++) {
    // alternate the two, so a slow spell of the machine falls on both
    fs.rmSync(synthOut, { recursive: true, force: true });
    synths.push(child('synth-child.js', [fleet, synthOut]));
    fs.rmSync(floorOut, { recursive: true, force: true });
    floors.push(child('floor-child.js', [synthOut, floorOut]));
  }
  const checks: Measurement[] = [];
  for (let i = 0; i < repeat; i++) checks.push(child('synth-child.js', [fleet, synthOut, 'check']));
  const s = median(synths);
  const f = median(floors);
  const c = median(checks);
  return {
    clusters,
    files: s.files,
    bytes: s.bytes,
    synthMs: s.ms,
    synthCpuMs: s.cpuMs,
    synthStartupMs: s.startupMs,
    floorMs: f.ms,
    floorCpuMs: f.cpuMs,
    floorStartupMs: f.startupMs,
    ratio: s.ms / f.ms,
    processRatio: (s.startupMs + s.ms) / (f.startupMs + f.ms),
    synthMsPerCluster: s.ms / clusters,
    synthCpuMsPerCluster: s.cpuMs / clusters,
    floorMsPerCluster: f.ms / clusters,
    peakRss: Math.max(...synths.map((m) => m.peakRss)),
    checkMs: c.ms,
    checkRatio: c.ms / s.ms,
    identical: sameTrees(synthOut, floorOut),
  };
}

function table(rows: readonly Row[]): string {
  const head = [
    'clusters', 'files', 'MB', 'synth ms', 'floor ms', 'ratio', 'ms/cluster', 'cpu ms/cluster', 'peak RSS MiB', 'start-up ms', 'process ratio',
    'check ms', 'check/synth', 'same bytes',
  ];
  const body = rows.map((r) => [
    r.clusters, r.files, (r.bytes / 1e6).toFixed(1), r.synthMs.toFixed(0), r.floorMs.toFixed(0), r.ratio.toFixed(2), r.synthMsPerCluster.toFixed(2),
    r.synthCpuMsPerCluster.toFixed(2),
    (r.peakRss / 2 ** 20).toFixed(0), `${r.synthStartupMs.toFixed(0)}/${r.floorStartupMs.toFixed(0)}`, r.processRatio.toFixed(2), r.checkMs.toFixed(0),
    r.checkRatio.toFixed(2), r.identical ? 'yes' : 'NO',
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dkp-fleet-bench-'));
  const rows: Row[] = [];
  try {
    for (const n of options.sizes) {
      process.stderr.write(`bench: ${n} clusters, ${options.repeat} run${options.repeat === 1 ? '' : 's'} each of synth, floor and check...\n`);
      rows.push(runSize(n, options.repeat, work));
    }
  } finally {
    if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
  }
  const from100 = rows.filter((r) => r.clusters >= 100);
  const spreadOf = (xs: number[]) => (xs.length > 1 ? Math.max(...xs) / Math.min(...xs) - 1 : 0);
  const spread = spreadOf(from100.map((r) => r.synthMsPerCluster));
  const cpuSpread = spreadOf(from100.map((r) => r.synthCpuMsPerCluster));
  const floorSpread = spreadOf(from100.map((r) => r.floorMsPerCluster));
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write('synth, floor, check: median wall time of the work in a fresh process; start-up (Node and module loading) is shown apart\n');
  process.stdout.write('and counted in the process ratio. Targets (DESIGN §8): ratio <= 1.5 at 1,000 clusters, peak RSS <= 1 GiB at 5,000,\n');
  process.stdout.write(`ms/cluster flat within 20% from 100 up, check <= 2x synth. Spread of ms/cluster from 100 up: synth ${(spread * 100).toFixed(0)}% wall, `
    + `${(cpuSpread * 100).toFixed(0)}% cpu; the floor's own: ${(floorSpread * 100).toFixed(0)}% (the file system's variance).\n`);
  const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory: os.totalmem(), platform: `${os.platform()}-${os.arch()}` };
  const out = path.join(__dirname, '..', '..', 'bench', 'results.json');
  fs.writeFileSync(out, `${JSON.stringify({
    machine, repeat: options.repeat, rows, msPerClusterSpread: spread, cpuMsPerClusterSpread: cpuSpread, floorMsPerClusterSpread: floorSpread,
  }, null, 2)}\n`);
  process.stdout.write(`wrote bench/results.json${options.keep ? `; kept ${work}` : ''}\n`);
  if (rows.some((r) => !r.identical)) {
    process.stderr.write('bench: the floor did not write the same bytes as the synthesis: the comparison is not fair\n');
    process.exitCode = 1;
  }
}

main();
