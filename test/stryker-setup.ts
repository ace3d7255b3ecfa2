// Under Stryker only (stryker.config.mjs adds it to jest's setupFilesAfterEnv): tests that compare the output with
// text the same code wrote before (goldens, the committed dist/) are skipped. They prove stability, not correctness
// (issue 14): a mutant must be killed by a test that knows what is right, so the mutation score counts only those. So
// are the tests that run the cdk8s CLI, which runs the compiled lib/, not the mutant.

/** Names of the tests that compare with stored output. */
export const STORED_OUTPUT = /golden|the committed dist\/|committed output/i;
/** Tests that run the cdk8s CLI on the compiled lib/ (never the mutant), which cannot start in Stryker's sandbox. */
export const CLI_ONLY = /npx cdk8s synth/;

const skip = (name: string) => STORED_OUTPUT.test(name) || CLI_ONLY.test(name);

type TestFn = jest.It;

function filtered(original: TestFn): TestFn {
  const wrapped = ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    (skip(name) ? original.skip(name, fn, timeout) : original(name, fn, timeout))) as TestFn;
  Object.assign(wrapped, original);
  wrapped.each = ((table: any, ...rest: any[]) => {
    const bound = (original.each as any)(table, ...rest);
    const skipped = (original.skip.each as any)(table, ...rest);
    return (name: string, fn: any, timeout?: number) => (skip(name) ? skipped(name, fn, timeout) : bound(name, fn, timeout));
  }) as any;
  return wrapped;
}

(globalThis as any).test = filtered(test);
(globalThis as any).it = filtered(it);
