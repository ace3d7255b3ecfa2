// Under Stryker only (stryker.config.mjs). For a mutant's run, the test files that hold no test covering the mutant are
// dropped (test/stryker-setup.ts recorded each file's coverage in the dry run): Stryker's jest runner picks the covering
// tests by name, but jest would still load every file that imports the mutated one, to find them. Set
// STRYKER_ALL_TEST_FILES=1 to keep them all (a run with ignoreStatic off, whose static mutants run every test).
// The fastest files run first, so that a mutant is usually killed by a quick test (test/stryker-setup.ts ends a mutant's
// run at its first failure). Durations come from jest's cache of earlier runs; a file without one runs last.
const fs = require('fs');
const Sequencer = require('@jest/test-sequencer').default;
const { COVERAGE_DIR, coverageFileOf } = require('./stryker-coverage');

/** Does the test file hold a test covering the mutant? Unknown (no record) counts as yes. */
function covers(testPath, mutant) {
  try {
    return JSON.parse(fs.readFileSync(coverageFileOf(testPath), 'utf8')).includes(mutant);
  } catch {
    return true;
  }
}

class StrykerSequencer extends Sequencer {
  sort(tests) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    const covering = mutant === undefined || process.env.STRYKER_ALL_TEST_FILES === '1' || !fs.existsSync(COVERAGE_DIR)
      ? tests : tests.filter((t) => covers(t.path, mutant));
    const kept = covering.length > 0 ? covering : tests; // a mutant with no record anywhere: every file, as jest would
    const time = (test) => this.time(test) ?? Number.MAX_SAFE_INTEGER;
    return [...kept].sort((a, b) => time(a) - time(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = StrykerSequencer;
