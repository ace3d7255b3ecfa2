// Brings lib/ up to date with src/ (tsc -b does nothing when it is), writing tsc's output to
// stderr (the cdk8s CLI only shows an app's stderr); exits 2 with `failure` when the sources
// do not compile. Returns the project root.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

module.exports = function compile(failure) {
  const root = path.resolve(__dirname, '..');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (tsc.status !== 0) {
    process.stderr.write(`dkp-fleet: the TypeScript sources do not compile (see above)${failure}\n`);
    process.exit(2);
  }
  return root;
};
