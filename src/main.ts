import * as fs from 'fs';
import * as path from 'path';
import { FleetError, formatProblem } from './spec/problems';
import { synthToDist } from './synth';

/**
 * `npx cdk8s synth` runs this (cdk8s.yaml `app`). The cdk8s CLI shows only what the app
 * writes to stderr, and has already emptied its own output folder (CDK8S_OUTDIR, a scratch
 * folder): dkp-fleet writes dist/ itself, atomically.
 *
 * Environment: FLEET (the fleet file, default fleet.yaml), FLEET_OUT (default dist).
 */
function main(): number {
  const fleetFile = process.env.FLEET ?? 'fleet.yaml';
  const outdir = process.env.FLEET_OUT ?? 'dist';
  try {
    const result = synthToDist({ fleetFile, outdir });
    const scratch = process.env.CDK8S_OUTDIR;
    if (scratch !== undefined) {
      // The CLI requires its output folder to exist and lists the YAML it finds there.
      fs.mkdirSync(scratch, { recursive: true });
      fs.writeFileSync(path.join(scratch, 'dkp-fleet-synth.yaml'),
        `# dkp-fleet wrote ${outdir}/ from ${fleetFile}; this scratch file only tells the cdk8s CLI that synthesis ran.\n`
        + `fleet: ${result.plan.fleet.name}\nrelease: ${result.plan.release.version}\nlayers: ${result.plan.layers.length}\nfiles: ${result.files.length}\n`);
    }
    process.stderr.write(`dkp-fleet: wrote ${outdir}/ (${result.plan.layers.length} layers, ${result.files.length} files) from ${fleetFile}; `
      + `read ${outdir}/PLAN.md\n`);
    return 0;
  } catch (e) {
    if (e instanceof FleetError) {
      const n = e.problems.length;
      process.stderr.write(`dkp-fleet: ${fleetFile} was refused (${n} problem${n === 1 ? '' : 's'}); ${outdir}/ was not changed\n`);
      for (const p of e.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
      return 1;
    }
    process.stderr.write(`dkp-fleet: internal error, ${outdir}/ was not changed: ${(e as Error).message}\n`);
    if (process.env.DKP_FLEET_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
}

process.exitCode = main();
