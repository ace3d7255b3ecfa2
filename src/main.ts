import { runCli } from './cli';

/**
 * `npx cdk8s synth` runs this (cdk8s.yaml `app`). The cdk8s CLI shows only what the app writes
 * to stderr, and has already emptied its own output folder (CDK8S_OUTDIR, a scratch folder):
 * dkp-fleet writes dist/ itself, atomically. Arguments after the script (`--fleet`, `--out`)
 * are the synth command's.
 */
process.exitCode = runCli(['synth', ...process.argv.slice(2)]);
