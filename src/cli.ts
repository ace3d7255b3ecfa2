import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { allowReadFromEnv } from './fleet/fleet-paths';
import { byKey } from './input/compare';
import { FleetError, formatProblem } from './input/problems';
import { runInventory } from './inventory-command';
import { terminalProgress } from './progress';
import { renderPlanMarkdown } from './report/plan-markdown';
import { runStatus } from './status-command';
import { guardRemovals, outputFiles, planSynthesis, synthToDist } from './synth';

const USAGE = `usage: dkp-fleet <command> [--fleet <file>] [--out <folder>] [--json]

commands:
  synth          write dist/ from the fleet file, atomically (what \`npx cdk8s synth\` runs)
  plan [--json]  print the plan without writing anything (--json: machine-readable)
  check          exit 1 when the committed dist/ differs from what the fleet file synthesizes
  inventory      the fleet file from a snapshot of the management cluster, or --compare it with one
                 (dkp-fleet inventory --help)
  status         where the upgrade stands, from a snapshot of the layers' Kustomizations (dkp-fleet status --help)

options:
  --fleet <file>    the fleet file (default: $FLEET, else fleet.yaml)
  --out <folder>    the output folder (default: $FLEET_OUT, else dist)
  --allow-read <folder>
                    let the folders the fleet file names (spec.catalog, spec.konvoy.addons) resolve into <folder>,
                    outside the fleet file's folder; repeatable (default: $FLEET_ALLOW_READ, folders separated by '${path.delimiter}',
                    else none: dkp-fleet reads only inside the fleet file's folder)
`;

const COMMANDS = ['synth', 'plan', 'check'] as const;
type Command = (typeof COMMANDS)[number];

interface Invocation {
  readonly command: Command;
  readonly fleetFile: string;
  readonly outdir: string;
  readonly json: boolean;
  /** Folders outside the fleet file's folder it may read (--allow-read, FLEET_ALLOW_READ). */
  readonly allowRead: readonly string[];
}

/** Reads the command line; returns a message when it is not one dkp-fleet takes. */
function parse(argv: readonly string[], env: CliIo['env']): Invocation | { readonly help: boolean; readonly message?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        fleet: { type: 'string' }, out: { type: 'string' }, 'allow-read': { type: 'string', multiple: true }, json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    const unknownOption = (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    return { help: false, message: unknownOption ? `unknown arguments: ${argv.join(' ')}` : (e as Error).message.split('\n')[0] };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...extra] = positionals;
  if (command === undefined) return { help: false, message: 'no command given' };
  if (!(COMMANDS as readonly string[]).includes(command) || extra.length > 0 || (values.json && command !== 'plan')) {
    return { help: false, message: `unknown arguments: ${argv.join(' ')}` };
  }
  return {
    command: command as Command,
    fleetFile: values.fleet ?? env.FLEET ?? 'fleet.yaml',
    outdir: values.out ?? env.FLEET_OUT ?? 'dist',
    json: values.json === true,
    allowRead: values['allow-read'] ?? allowReadFromEnv(env.FLEET_ALLOW_READ),
  };
}

export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stderr is an interactive terminal (progress is shown there, never in CI logs). @default false */
  readonly terminal?: boolean;
}

const PROCESS_IO: CliIo = {
  out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env, terminal: process.stderr.isTTY === true && !process.env.CI,
};

function refused(e: FleetError, fleetFile: string, outdir: string, io: CliIo): number {
  const n = e.problems.length;
  io.err(`dkp-fleet: ${fleetFile} was refused (${n} problem${n === 1 ? '' : 's'}); ${outdir}/ was not changed\n`);
  for (const p of e.problems) io.err(`  ${formatProblem(p)}\n`);
  return 1;
}

function synth(fleetFile: string, outdir: string, io: CliIo, allowRead: readonly string[]): number {
  const progress = io.terminal ? terminalProgress(io.err) : undefined;
  let result;
  try {
    result = synthToDist({ fleetFile, outdir, progress, allowRead });
  } finally {
    progress?.done();
  }
  const scratch = io.env.CDK8S_OUTDIR;
  if (scratch !== undefined) {
    // The cdk8s CLI requires its output folder to exist and lists the YAML it finds there.
    fs.mkdirSync(scratch, { recursive: true });
    fs.writeFileSync(path.join(scratch, 'dkp-fleet-synth.yaml'),
      `# dkp-fleet wrote ${outdir}/ from ${fleetFile}; this scratch file only tells the cdk8s CLI that synthesis ran.\n`
      + `fleet: ${result.plan.fleet.name}\nrelease: ${result.plan.release.version}\nlayers: ${result.plan.layers.length}\nfiles: ${result.fileCount}\n`);
  }
  io.err(`dkp-fleet: wrote ${outdir}/ (${result.plan.layers.length} layers, ${result.fileCount} files) from ${fleetFile}; read ${outdir}/PLAN.md\n`);
  const premise = result.document.layers.filter((l) => l.checks.some((c) => c.premise && c.strength === 'ready-only')).map((l) => l.name);
  if (premise.length > 0) {
    io.err(`dkp-fleet: premise not checked (the clusters' current versions): ${premise.join(', ')} (${outdir}/PLAN.md, "Notes")\n`);
  }
  const readyOnly = result.document.layers.filter((l) => l.checks.some((c) => !c.premise && c.strength === 'ready-only')).map((l) => l.name);
  if (readyOnly.length > 0) {
    io.err(`dkp-fleet: ready-only, not version-checked: ${readyOnly.slice(0, 8).join(', ')}${readyOnly.length > 8 ? `, and ${readyOnly.length - 8} more` : ''} `
      + `(${outdir}/PLAN.md, "Notes")\n`);
  }
  return 0;
}

function plan(fleetFile: string, json: boolean, io: CliIo, allowRead: readonly string[]): number {
  // the plan needs no rendered object: planning checks every input and decides the gates
  const { document } = planSynthesis({ fleetFile, allowRead });
  io.out(json ? `${JSON.stringify(document, null, 2)}\n` : renderPlanMarkdown(document));
  return 0;
}

/** Every file path under `dir`, `/`-separated and relative to it. */
function listTree(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.add(r);
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

function check(fleetFile: string, outdir: string, io: CliIo, allowRead: readonly string[]): number {
  const planned = planSynthesis({ fleetFile, allowRead });
  const committed = listTree(outdir);
  const wanted = new Set<string>();
  const lines: string[] = [];
  // compared file by file as the synthesis renders them: memory stays flat however large the fleet
  for (const f of outputFiles(planned)) {
    wanted.add(f.path);
    if (!committed.has(f.path)) lines.push(`  missing:   ${outdir}/${f.path}`);
    else if (fs.readFileSync(path.join(outdir, f.path), 'utf8') !== f.content) lines.push(`  differs:   ${outdir}/${f.path}`);
  }
  guardRemovals(planned, outdir, [...wanted]);
  for (const p of committed) {
    if (!wanted.has(p)) lines.push(`  stale:     ${outdir}/${p}`);
  }
  if (lines.length === 0) {
    io.err(`dkp-fleet: ${outdir}/ is up to date with ${fleetFile} (${wanted.size} files)\n`);
    return 0;
  }
  lines.sort(byKey((l) => l.slice(13)));
  io.err(`dkp-fleet: ${outdir}/ is not what ${fleetFile} synthesizes (${lines.length} file${lines.length === 1 ? '' : 's'}); `
    + 'run `npx cdk8s synth --no-check-upgrade` and commit the result\n');
  io.err(`${lines.join('\n')}\n`);
  return 1;
}

/** Runs one command; returns the exit code. Never throws for bad input. */
export function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): number {
  if (argv[0] === 'status') return runStatus(argv.slice(1), io);
  if (argv[0] === 'inventory') {
    try {
      return runInventory(argv.slice(1), io);
    } catch (e) {
      io.err(`dkp-fleet: internal error, nothing was written: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const inv = parse(argv, io.env);
  if (!('command' in inv)) {
    io.err(inv.help ? USAGE : `dkp-fleet: ${inv.message}\n${USAGE}`);
    return inv.help ? 0 : 2;
  }
  const { command, fleetFile, outdir, allowRead } = inv;
  try {
    switch (command) {
      case 'synth': return synth(fleetFile, outdir, io, allowRead);
      case 'plan': return plan(fleetFile, inv.json, io, allowRead);
      case 'check': return check(fleetFile, outdir, io, allowRead);
    }
  } catch (e) {
    if (e instanceof FleetError) return refused(e, fleetFile, outdir, io);
    io.err(`dkp-fleet: internal error, ${outdir}/ was not changed: ${(e as Error).message}\n`);
    if (io.env.DKP_FLEET_DEBUG) io.err(`${(e as Error).stack}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2));
}
