// Mutation testing (npm run mutate; docs/mutation.md): StrykerJS puts one small bug at a time into the code whose bugs
// cost clusters and runs the jest tests that cover it; a mutant no test notices is a gap in the tests.
// Not part of npm test: a full run takes hours on 2 CPUs. Narrow it with extra arguments, e.g.
//   npm run mutate -- --mutate 'src/output/**/*.ts'
//   npm run mutate -- --mutate 'src/planner/graph.ts:40-90'
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.dirname(fileURLToPath(import.meta.url));
// The tests run in a sandbox under .stryker-tmp/, where ../shared (upstream CRDs, reference tables) is not beside them.
process.env.SHARED_DIR ??= path.resolve(root, '..', 'shared');
// The fuzz test runs for each mutant it covers (nearly all): a short run (npm test runs 400).
process.env.FC_FUZZ_RUNS ??= '30';

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
      ],
    },
  },
  coverageAnalysis: 'perTest',
  // Most tests synthesize in beforeAll or at describe level, so nearly every mutant is also "static" (run while no test
  // runs): run it against the tests that cover it while they run (it stays active in their beforeAll). A mutant covered
  // only statically (a module-level table or pattern) is reported Ignored; docs/mutation.md covers those by hand.
  ignoreStatic: true,
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The code whose bugs cost clusters: the layer order, the gates, the output writer and removal guard, the fleet validation.
  mutate: [
    'src/planner/**/*.ts',
    'src/gates/**/*.ts',
    'src/output/**/*.ts',
    'src/fleet/**/*.ts',
    'src/input/schema.ts',
  ],
  incremental: false,
  incrementalFile: 'reports/stryker-incremental.json',
  // 2 CPUs: one test runner and the type checker side by side.
  concurrency: 2,
  timeoutMS: 60000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 40,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
