import { parseArgs } from 'util';
import { allowReadFromEnv, readRegularFile } from './fleet/fleet-paths';
import { FleetError, formatProblem } from './input/problems';
import { MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_VALUES } from './inventory/snapshot';
import { renderStatus, renderStatusJson } from './status/render';
import { statusReport } from './status/report';
import { parseFluxSnapshot, STATUS_COMMAND } from './status/snapshot';
import { planSynthesis } from './synth';

export const STATUS_USAGE = `usage: dkp-fleet status <kustomizations.yaml> [--fleet <file>] [--json]

  Prints where the upgrade stands: every layer of the plan in PLAN.md's order with its state at
  the source's current revision (done, done at an older revision, running, failed, held, waiting,
  missing), the active stage (management, then each wave) and what blocks it, and the
  Kustomizations of this fleet that the plan no longer has (stale). Reads the snapshot only.

  Take the snapshot, read-only, where Flux runs the layers (hub mode: the hub cluster; kommander
  mode: the management cluster):
  ${STATUS_COMMAND} > kustomizations.yaml

options:
  --fleet <file>         the fleet file (default: $FLEET, else fleet.yaml)
  --json                 print the report as JSON (the StatusReport shape of src/status/report.ts, keys sorted)
  --allow-read <folder>  as for \`dkp-fleet plan\` (default: $FLEET_ALLOW_READ)

exit codes:
  0  every layer is done at the source's current revision
  3  the upgrade is in progress: nothing failed (a layer may be running, waiting, held or missing)
  1  a layer failed (Flux's message is printed), or the snapshot or the fleet file was refused
  2  bad usage (or an internal error of dkp-fleet)
`;

/** What the status command writes to and reads from. */
export interface StatusIo {
  out(s: string): void;
  err(s: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * `dkp-fleet status`: where the upgrade stands, from a snapshot of the fleet's Flux
 * Kustomizations and its source (README, "Where the upgrade stands").
 *
 * @returns the exit code: 0 every layer done at the current revision, 3 in progress, 1 a layer
 *   failed or the input was refused, 2 bad usage
 */
export function runStatus(argv: readonly string[], io: StatusIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'fleet': { type: 'string' }, 'json': { type: 'boolean' }, 'allow-read': { type: 'string', multiple: true }, 'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`dkp-fleet: ${(e as Error).message.split('\n')[0]}\n${STATUS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.err(STATUS_USAGE);
    return 0;
  }
  const [snapshot, ...extra] = positionals;
  if (snapshot === undefined || extra.length > 0) {
    io.err(`dkp-fleet: ${snapshot === undefined ? 'no snapshot file given' : `unknown arguments: ${extra.join(' ')}`}\n${STATUS_USAGE}`);
    return 2;
  }
  const fleetFile = values.fleet ?? io.env.FLEET ?? 'fleet.yaml';
  const allowRead = values['allow-read'] ?? allowReadFromEnv(io.env.FLEET_ALLOW_READ);
  let stage = `${snapshot} was refused`;
  try {
    const read = readRegularFile(snapshot, MAX_SNAPSHOT_BYTES, {
      followLink: true,
      tooBig: (bytes) => `is ${bytes} bytes; snapshots of at most ${MAX_SNAPSHOT_BYTES} bytes are accepted`,
      rule: 'give the snapshot as a regular file',
    });
    if ('refused' in read) throw new FleetError([{ file: snapshot, path: '(file)', message: read.refused }]);
    const flux = parseFluxSnapshot(read.text, snapshot, { bytes: MAX_SNAPSHOT_BYTES, values: MAX_SNAPSHOT_VALUES });
    stage = `could not plan ${fleetFile}`;
    const { plan } = planSynthesis({ fleetFile, allowRead });
    stage = `${snapshot} does not show fleet ${plan.fleet.name}`;
    const report = statusReport(plan, flux, { fleetFile, snapshotFile: snapshot });
    io.out(values.json ? renderStatusJson(report) : renderStatus(report));
    return report.exitCode;
  } catch (e) {
    if (!(e instanceof FleetError)) {
      io.err(`dkp-fleet: internal error: ${(e as Error).message}\n`);
      if (io.env.DKP_FLEET_DEBUG) io.err(`${(e as Error).stack}\n`);
      return 2;
    }
    const n = e.problems.length;
    io.err(`dkp-fleet: ${stage} (${n} problem${n === 1 ? '' : 's'})\n`);
    for (const p of e.problems) io.err(`  ${formatProblem(p)}\n`);
    return 1;
  }
}
