// Mutation testing (npm run mutate; docs/mutation.md): StrykerJS puts one small bug at a time into the code whose bugs
// cost clusters and runs the jest tests that cover it; a mutant no test notices is a gap in the tests.
// Not part of npm test: a full run takes many hours on 2 CPUs. Narrow it with extra arguments, e.g.
//   npm run mutate -- --mutate 'src/output/**/*.ts'
//   npm run mutate -- --mutate 'src/planner/graph.ts:40-90'
// or test a seeded random sample of each folder's mutants (scripts/mutant-sample.mjs):
//   MUTATE_SAMPLE=150 MUTATE_SCOPE=planner,output,fleet npm run mutate
// and test again only what a run's log lists as survived (after new tests), or what it left out as static:
//   MUTATE_RETEST=reports/mutation/planner-output-fleet/mutants.jsonl MUTATE_SCOPE=planner,output,fleet npm run mutate
//   MUTATE_STATIC=reports/mutation/gates/mutants.jsonl MUTATE_SAMPLE=40 MUTATE_SCOPE=gates npm run mutate
import * as path from 'path';
import { fileURLToPath } from 'url';
import { sampleMutants, SCOPES, survivorsOf } from './scripts/mutant-sample.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
// The tests run in a sandbox under .stryker-tmp/, where ../shared (upstream CRDs, reference tables) is not beside them.
process.env.SHARED_DIR ??= path.resolve(root, '..', 'shared');
// The fuzz test runs for each mutant it covers (nearly all): a short run (npm test runs 400).
process.env.FC_FUZZ_RUNS ??= '30';
// The gate timelines synthesize for each test (test/gates/harness/variants.ts), so that each covers the gates it judges.
process.env.DKP_FLEET_TEST_NO_CACHE = '1';

/** The folders in scope (MUTATE_SCOPE, comma-separated; default all four). */
const scope = (process.env.MUTATE_SCOPE ?? Object.keys(SCOPES).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
/**
 * MUTATE_STATIC=<log>: the static mutants a run left out (Ignored: code that runs when a module loads, such as the
 * gates' CEL and shell fragments), or MUTATE_SAMPLE of them, each run against every test file of the mutated code.
 */
const staticRun = process.env.MUTATE_STATIC !== undefined;
if (staticRun) process.env.STRYKER_ALL_TEST_FILES = '1';
/**
 * The mutants to test: a log's static ones (MUTATE_STATIC) or survivors (MUTATE_RETEST), a sample of MUTATE_SAMPLE per
 * folder, or every mutant of the folders in scope.
 */
const mutate = staticRun
  ? await survivorsOf(root, process.env.MUTATE_STATIC, ['Ignored'], Number(process.env.MUTATE_SAMPLE ?? Infinity))
  : process.env.MUTATE_RETEST
  ? await survivorsOf(root, process.env.MUTATE_RETEST)
  : process.env.MUTATE_SAMPLE
    ? await sampleMutants(root, scope, Number(process.env.MUTATE_SAMPLE), Number(process.env.MUTATE_SEED ?? '14'))
    : scope.flatMap((folder) => SCOPES[folder].map((e) => (e.endsWith('.ts') ? e : `${e}/**/*.ts`)));
/** Where this run's reports go (MUTATE_REPORTS; runs side by side need their own). */
const reports = process.env.MUTATE_REPORTS ?? 'reports/mutation';
/** The timelines run every gate through sh and kubectl (about 40 s): only when the gates are mutated. */
const gatesOnly = scope.includes('gates') ? [] : ['/test/gates/timelines\\.test\\.ts$', '/test/gates/rollout-timelines\\.test\\.ts$'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // Only the test files that import the mutated file run for it.
    enableFindRelatedTests: true,
    config: {
      // test/stryker-setup.ts skips the tests that compare with stored output (goldens, the committed dist/): they prove
      // stability, not correctness, so they must not count as kills.
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts', '<rootDir>/test/stryker-setup.ts'],
      // The fastest test files first: test/stryker-setup.ts ends a mutant's run at its first failure.
      testSequencer: '<rootDir>/test/stryker-sequencer.js',
      // One process per test runner (Stryker runs two side by side): no jest worker to start for every mutant.
      maxWorkers: 1,
      // Left out (they stay in npm test): tests that run the compiled lib/ in a child process (never the mutant), the
      // property test of generated fleets and the schema check of every example (minutes per mutant they cover, and they
      // judge the constructs, which are not mutated), and other people's folders.
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/e2e/root-only-reads\\.test\\.ts$',
        '/test/e2e/readme-commands\\.test\\.ts$',
        '/test/e2e/inventory-command\\.test\\.ts$',
        '/test/e2e/safe-output\\.test\\.ts$',
        '/test/e2e/schemas\\.test\\.ts$',
        '/test/proof/generated-fleets\\.test\\.ts$',
        '/test/rbac/',
        '/test/status/',
        '/test/inventory/',
        '/test/ci/',
        ...gatesOnly,
      ],
    },
  },
  coverageAnalysis: 'perTest',
  // Most tests synthesize in beforeAll or at describe level, so nearly every mutant is also "static" (run while no test
  // runs): run it against the tests that cover it while they run (it stays active in their beforeAll). A mutant covered
  // only statically (a module-level table or pattern) is reported Ignored; docs/mutation.md covers those by hand.
  ignoreStatic: !staticRun,
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The code whose bugs cost clusters: the layer order, the gates, the output writer and removal guard, the fleet validation.
  mutate,
  // Results are kept in <reports>/stryker-incremental.json: the next run tests again only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  // 2 CPUs: one test runner and the type checker side by side.
  concurrency: 2,
  timeoutMS: 60000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 40,
  thresholds: { high: 90, low: 85, break: 85 },
  // mutant-log (scripts/stryker-mutant-log.mjs) writes each result to <reports>/mutants.jsonl as it comes.
  plugins: ['@stryker-mutator/*', './scripts/stryker-mutant-log.mjs'],
  reporters: ['clear-text', 'progress', 'html', 'json', 'mutant-log'],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
