/** The folder where each test file records the mutants its tests cover (test/stryker-coverage.js). */
export declare const COVERAGE_DIR: string;
/** The file a test file's coverage is recorded in. */
export declare function coverageFileOf(testPath: string): string;
