// Where, under Stryker, each test file records the mutants its tests cover in the dry run: written by
// test/stryker-setup.ts, read by test/stryker-sequencer.js (plain JavaScript, so that jest can load the sequencer).
const path = require('path');

const ROOT = path.join(__dirname, '..');
/** The folder of the records (in Stryker's sandbox, which goes with the run). */
const COVERAGE_DIR = path.join(ROOT, '.stryker-coverage');
/** The file a test file's coverage is recorded in: its path from the project root, with __ for each separator. */
const coverageFileOf = (testPath) => path.join(COVERAGE_DIR, `${path.relative(ROOT, testPath).replace(/[\\/]/g, '__')}.json`);

module.exports = { COVERAGE_DIR, coverageFileOf };
