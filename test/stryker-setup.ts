// Under Stryker only (stryker.config.mjs adds it to jest's setupFilesAfterEnv): tests that compare the output with
// text the same code wrote before (goldens, the committed dist/) are skipped. They prove stability, not correctness
// (issue 14): a mutant must be killed by a test that knows what is right, so the mutation score counts only those. So
// are the tests that run the cdk8s CLI, which runs the compiled lib/, not the mutant.
//
// A mutant's run also stops at its first failing test (Stryker's jest runner cannot bail): the failure is recorded in
// a file named for the mutant, and every later test and beforeAll of that run, in any test file, returns at once.
// In the dry run, each test file records the mutants its tests cover (.stryker-coverage/), so that a mutant's run loads
// only the files that hold a test covering it (test/stryker-sequencer.js), not every file that imports the mutated one.
import * as fs from 'fs';
import * as path from 'path';
import { COVERAGE_DIR, coverageFileOf } from './stryker-coverage';

/** Names of the tests that compare with stored output. */
export const STORED_OUTPUT = /golden|the committed dist\/|committed output/i;
/** Tests that run the cdk8s CLI on the compiled lib/ (never the mutant), which cannot start in Stryker's sandbox. */
export const CLI_ONLY = /npx cdk8s synth/;
/**
 * Tests that synthesize twice and compare: a mutant makes the output different, not irreproducible, so they cannot kill
 * it, and each costs a synthesis of every example.
 */
export const DETERMINISM = /is deterministic/;

const skip = (name: string) => STORED_OUTPUT.test(name) || CLI_ONLY.test(name) || DETERMINISM.test(name);

/** The mutant this run tests (set by Stryker's jest runner), or undefined in the dry run. */
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
/** Where a failure of this mutant's run is recorded: in Stryker's sandbox, which goes with the run. */
const failedMarker = mutant === undefined ? undefined : path.join(__dirname, '..', '.stryker-failed', mutant);

/** Stryker's instrumenter context: per-test coverage in the dry run. */
const stryker = () => (globalThis as any).__stryker__ as { mutantCoverage?: { perTest?: Record<string, Record<string, number>> } } | undefined;
/** Names of this file's tests that ran (dry run only). */
const ranHere = new Set<string>();

const alreadyKilled = () => failedMarker !== undefined && fs.existsSync(failedMarker);

function recordFailure(): void {
  if (failedMarker === undefined) return;
  fs.mkdirSync(path.dirname(failedMarker), { recursive: true });
  fs.writeFileSync(failedMarker, '');
}

/**
 * A test body or hook under Stryker: in the dry run it records the test's name (for the coverage file); in a mutant's
 * run it returns at once when the mutant is already killed, and records a failure before jest sees it.
 */
function guarded<A extends unknown[]>(fn: (...args: A) => unknown, isTest: boolean): (...args: A) => Promise<void> {
  return async (...args: A) => {
    if (failedMarker === undefined) {
      if (isTest) ranHere.add(expect.getState().currentTestName ?? '');
      await fn(...args);
      return;
    }
    if (alreadyKilled()) return;
    try {
      await fn(...args);
    } catch (err) {
      recordFailure();
      throw err;
    }
  };
}

/** A test body, guarded (a body that takes jest's done callback is left as it is). */
function bailing(fn: jest.ProvidesCallback | undefined): jest.ProvidesCallback | undefined {
  if (fn === undefined || fn.length > 0) return fn;
  return guarded(fn as () => unknown, true) as jest.ProvidesCallback;
}

type TestFn = jest.It;

function filtered(original: TestFn): TestFn {
  const wrapped = ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    (skip(name) ? original.skip(name, fn, timeout) : original(name, bailing(fn), timeout))) as TestFn;
  Object.assign(wrapped, original);
  wrapped.each = ((table: any, ...rest: any[]) => {
    const bound = (original.each as any)(table, ...rest);
    const skipped = (original.skip.each as any)(table, ...rest);
    return (name: string, fn: any, timeout?: number) => {
      if (skip(name)) return skipped(name, fn, timeout);
      // test.each passes the row as arguments: keep them
      return bound(name, guarded(fn, true), timeout);
    };
  }) as any;
  return wrapped;
}

(globalThis as any).test = filtered(test);
(globalThis as any).it = filtered(it);

if (failedMarker !== undefined) {
  const originalBeforeAll = beforeAll;
  (globalThis as any).beforeAll = (fn: jest.ProvidesCallback, timeout?: number) => originalBeforeAll(guarded(fn as () => unknown, false), timeout);
} else {
  afterAll(() => {
    const perTest = stryker()?.mutantCoverage?.perTest;
    if (perTest === undefined) return; // not Stryker's dry run with per-test coverage
    const mutants = new Set<string>();
    for (const name of ranHere) Object.keys(perTest[name] ?? {}).forEach((m) => mutants.add(m));
    fs.mkdirSync(COVERAGE_DIR, { recursive: true });
    fs.writeFileSync(coverageFileOf(expect.getState().testPath!), JSON.stringify([...mutants]));
  });
}
