#!/usr/bin/env node
// The cdk8s app command (cdk8s.yaml): brings lib/ up to date with src/ (tsc -b does nothing
// when it is), then runs the synthesis. Output from tsc goes to stderr: the cdk8s CLI only
// shows the app's stderr.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: ['ignore', 2, 2] });
if (tsc.status !== 0) {
  process.stderr.write('dkp-fleet: the TypeScript sources do not compile (see above); dist/ was not changed\n');
  process.exit(2);
}
require(path.join(root, 'lib', 'src', 'main.js'));
