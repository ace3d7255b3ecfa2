#!/usr/bin/env node
// Runs a dkp-fleet command (npm run plan / check): brings lib/ up to date with src/ (tsc -b
// does nothing when it is), then runs lib/src/cli.js with the given arguments.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: ['ignore', 2, 2] });
if (tsc.status !== 0) {
  process.stderr.write('dkp-fleet: the TypeScript sources do not compile (see above)\n');
  process.exit(2);
}
process.exitCode = require(path.join(root, 'lib', 'src', 'cli.js')).runCli(process.argv.slice(2));
