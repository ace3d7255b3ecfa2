import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiRead, FakeApiServer, Kind } from './fake-apiserver';
import { tempDir } from '../../helpers';

export type GateResult = 'done' | 'failed' | 'not-done';

/** A `sleep` that fails: the script's first wait ends the run (the check was not done at this step). */
let fakeBin: string | undefined;
function bin(): string {
  if (fakeBin === undefined || !fs.existsSync(fakeBin)) {
    fakeBin = tempDir();
    fs.writeFileSync(path.join(fakeBin, 'sleep'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  }
  return fakeBin;
}

/**
 * Runs a Job gate's script with `sh`, against the real `kubectl` talking to a fake API server that
 * serves `objects`: exit 0 is done, 1 failed; the script's first `sleep` (it waits) ends it: not done.
 */
export async function runGate(
  script: string, kinds: readonly Kind[], objects: readonly Record<string, any>[],
): Promise<{ result: GateResult; output: string; reads: readonly ApiRead[] }> {
  const server = new FakeApiServer(kinds);
  server.serve(objects);
  await server.start();
  try {
    const home = tempDir();
    const child = spawn('sh', ['-c', script], {
      env: { PATH: `${bin()}:${process.env.PATH}`, KUBECONFIG: server.kubeconfig, KUBECACHEDIR: server.cacheDir, HOME: home },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    const reads = server.reads;
    if (code === 0) return { result: 'done', output, reads };
    if (code === 1) return { result: 'failed', output, reads };
    if (code === 2) return { result: 'not-done', output, reads };
    throw new Error(`gate script exited ${code}:\n${output}`);
  } finally {
    await server.stop();
  }
}
