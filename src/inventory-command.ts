import * as fs from 'fs';
import { parseArgs } from 'util';
import { FleetError, formatProblem } from './input/problems';
import { MAX_INPUT_BYTES } from './input/yaml-source';
import { compare, inventory, SNAPSHOT_COMMAND } from './inventory';
import { MAX_SNAPSHOT_BYTES } from './inventory/snapshot';

export const INVENTORY_USAGE = `usage: dkp-fleet inventory <snapshot.yaml> [--release <version>] [--current-release <version>]
       dkp-fleet inventory <snapshot.yaml> --compare [<fleet.yaml>]

  Without --compare: prints the fleet file of the fleet the snapshot shows (writes nothing).
  With --compare: lists every difference between the snapshot and the fleet file (default: $FLEET,
  else fleet.yaml), with the fleet file's field path; exit 1 when there is any.

  Take the snapshot, read-only, on the management cluster:
  ${SNAPSHOT_COMMAND}
`;

/** What the inventory command writes to and reads from. */
export interface InventoryIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Reads a regular file no larger than `max` bytes; a FIFO or device is refused before it is opened. */
function readInput(file: string, what: string, max: number): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new FleetError([{ file, path: '(file)', message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  if (!stat.isFile()) throw new FleetError([{ file, path: '(file)', message: `is not a regular file; give the ${what} as a file` }]);
  if (stat.size > max) throw new FleetError([{ file, path: '(file)', message: `is ${stat.size} bytes; ${what}s of at most ${max} bytes are accepted` }]);
  return fs.readFileSync(file, 'utf8');
}

/**
 * `dkp-fleet inventory`: the fleet file from a snapshot of the management cluster, or the
 * differences between a snapshot and a fleet file (README, "The fleet as it is").
 *
 * @returns the exit code: 0 done (no differences), 1 differences or refused input, 2 bad usage
 */
export function runInventory(argv: readonly string[], io: InventoryIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'release': { type: 'string' }, 'current-release': { type: 'string' }, 'compare': { type: 'boolean' }, 'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`dkp-fleet: ${(e as Error).message.split('\n')[0]}\n${INVENTORY_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.err(INVENTORY_USAGE);
    return 0;
  }
  const [snapshot, fleetArg, ...extra] = positionals;
  const wrong = snapshot === undefined ? 'no snapshot file given'
    : extra.length > 0 || (fleetArg !== undefined && !values.compare) ? `unknown arguments: ${argv.join(' ')}`
      : values.compare && (values.release !== undefined || values['current-release'] !== undefined) ? '--compare takes no --release or --current-release'
        : undefined;
  if (wrong !== undefined) {
    io.err(`dkp-fleet: ${wrong}\n${INVENTORY_USAGE}`);
    return 2;
  }
  const fleetFile = fleetArg ?? io.env.FLEET ?? 'fleet.yaml';
  try {
    const text = readInput(snapshot!, 'snapshot', MAX_SNAPSHOT_BYTES);
    if (!values.compare) {
      io.out(inventory(text, { file: snapshot!, release: values.release, currentRelease: values['current-release'] }));
      io.err(`dkp-fleet: printed the fleet file of ${snapshot}; read its comments (what was inferred or left out), then compare it with \`--compare\`\n`);
      return 0;
    }
    const { differences } = compare(text, readInput(fleetFile, 'fleet file', MAX_INPUT_BYTES), fleetFile, snapshot);
    if (differences.length === 0) {
      io.err(`dkp-fleet: ${fleetFile} describes the fleet ${snapshot} shows: no differences\n`);
      return 0;
    }
    const n = differences.length;
    io.err(`dkp-fleet: ${fleetFile} differs from the fleet ${snapshot} shows (${n} difference${n === 1 ? '' : 's'}); `
      + 'fix the fleet file before you synthesize, or the plan rests on facts that are not true\n');
    io.out(differences.map((d) => `  ${fleetFile}: ${d.path}: ${d.message}\n`).join(''));
    return 1;
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    const n = e.problems.length;
    io.err(`dkp-fleet: ${values.compare ? `could not compare ${snapshot} with ${fleetFile}` : `${snapshot} was refused`} `
      + `(${n} problem${n === 1 ? '' : 's'}); nothing was written\n`);
    for (const p of e.problems) io.err(`  ${formatProblem(p)}\n`);
    return 1;
  }
}
