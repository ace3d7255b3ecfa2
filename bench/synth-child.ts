// Benchmark child: one full synthesis, as `npx cdk8s synth` runs it (the CLI's synth command,
// fleet file read, plan, render, dist/ written atomically), in a fresh process.
// usage: node lib/bench/synth-child.js <fleet.yaml> <outdir> [synth|check]
import * as fs from 'fs';
import * as path from 'path';
import { measure } from './measure';
import { runCli } from '../src/cli';

const [fleetFile, outdir, command = 'synth'] = process.argv.slice(2);
const errors: string[] = [];
measure(() => {
  const code = runCli([command], { out: () => undefined, err: (s) => errors.push(s), env: { FLEET: fleetFile, FLEET_OUT: outdir } });
  if (code !== 0) {
    process.stderr.write(errors.join(''));
    process.exit(code);
  }
  return command === 'synth' ? sizeOf(outdir) : { files: 0, bytes: 0 };
});

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      files++;
      bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
    }
  }
  return { files, bytes };
}
