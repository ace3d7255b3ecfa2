import { spawnSync } from 'child_process';
import * as path from 'path';
import { inCi, ROOT } from '../helpers';

/**
 * Without ../shared, the tests that need it are skipped with a notice; in CI (CI=true, which .ci/run
 * sets) the run fails instead, saying why: CI must never go green on checks that did not run.
 */

/** Runs one small test file that needs ../shared, in a child jest, with ../shared pointed nowhere. */
function runWithoutShared(env: Record<string, string>): { status: number | null; output: string } {
  const { CI: _ci, ...rest } = process.env;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'test/gates/cel.test.ts'], {
    cwd: ROOT, encoding: 'utf8', env: { ...rest, SHARED_DIR: path.join(ROOT, 'no-such-shared'), ...env },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('a missing ../shared', () => {
  test('is skipped with a notice outside CI', () => {
    const r = runWithoutShared({});
    expect(r.output).toContain('!!! SKIPPED "the fields CEL expressions read"');
    expect(r.status).toBe(0);
  });

  test('fails the run under CI=true, saying why', () => {
    const r = runWithoutShared({ CI: 'true' });
    expect(r.status).toBe(1);
    expect(r.output).toContain('fails if ../shared is missing in CI');
    expect(r.output).toContain('no-such-shared is missing (upstream CRDs and reference tables), and CI is set');
  });

  test('CI counts as set unless empty, false or 0', () => {
    expect([{ CI: 'true' }, { CI: '1' }, { CI: 'TRUE' }, { CI: 'yes' }].map((e) => inCi(e))).toEqual([true, true, true, true]);
    expect([{}, { CI: '' }, { CI: 'false' }, { CI: 'False' }, { CI: '0' }].map((e) => inCi(e))).toEqual([false, false, false, false, false]);
  });
});
