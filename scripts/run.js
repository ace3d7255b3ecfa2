#!/usr/bin/env node
// Runs a dkp-fleet command (npm run plan / check): compiles if needed, then runs lib/src/cli.js with the given arguments.
'use strict';
const path = require('path');

const root = require('./compile')('');
process.exitCode = require(path.join(root, 'lib', 'src', 'cli.js')).runCli(process.argv.slice(2));
