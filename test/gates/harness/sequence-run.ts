import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FakeApiServer, Kind } from './fake-apiserver';
import { GateResult } from './gate-run';
import { tempDir } from '../../helpers';

/** One moment of a timeline: what the API server serves, and the clock (seconds since the Job started). */
export interface Moment {
  readonly objects: readonly Record<string, any>[];
  /** @default 0 */
  readonly elapsed?: number;
}

/**
 * Runs a Job gate's script once through a whole timeline, as its one pod would: it reads the API
 * server at the first moment; each `sleep` moves to the next moment (the objects and the clock
 * change while it sleeps); after the last moment, `sleep` fails and the script exits 2. Returns
 * what it said at each moment it reached: not-done for a moment it slept through, done or failed
 * for the moment it exited at.
 */
export async function runSequence(script: string, kinds: readonly Kind[], moments: readonly Moment[]): Promise<{ verdicts: GateResult[]; output: string }> {
  const server = new FakeApiServer(kinds);
  let at = 0;
  server.serve(moments[0].objects);
  await server.start();
  const dir = tempDir();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const clock = path.join(dir, 'clock');
  const request = path.join(dir, 'sleep-request');
  const end = path.join(dir, 'end');
  const epoch = 1_700_000_000;
  fs.writeFileSync(clock, `${epoch + (moments[0].elapsed ?? 0)}\n`);
  fs.writeFileSync(path.join(bin, 'date'), `#!/bin/sh\ncat '${clock}'\n`, { mode: 0o755 });
  // sleep asks the test to move on, and waits until it did (or until the timeline ends)
  fs.writeFileSync(path.join(bin, 'sleep'), `#!/bin/sh\n: > '${request}'\nwhile [ -e '${request}' ]; do :; done\n[ -e '${end}' ] && exit 1\nexit 0\n`,
    { mode: 0o755 });
  const verdicts: GateResult[] = [];
  try {
    const child = spawn('sh', ['-c', script], {
      env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: server.kubeconfig, KUBECACHEDIR: server.cacheDir, HOME: dir },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const code: number = await new Promise((resolve) => {
      const tick = setInterval(() => {
        if (!fs.existsSync(request)) return;
        verdicts.push('not-done');
        at++;
        if (at >= moments.length) {
          fs.writeFileSync(end, '');
        } else {
          server.serve(moments[at].objects);
          fs.writeFileSync(clock, `${epoch + (moments[at].elapsed ?? 0)}\n`);
        }
        fs.rmSync(request);
      }, 5);
      child.on('close', (c) => {
        clearInterval(tick);
        resolve(c ?? -1);
      });
    });
    if (code === 0) verdicts.push('done');
    else if (code === 1) verdicts.push('failed');
    else if (code !== 2) throw new Error(`gate script exited ${code}:\n${output}`);
    return { verdicts, output };
  } finally {
    await server.stop();
  }
}
