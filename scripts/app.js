#!/usr/bin/env node
// The cdk8s app command (cdk8s.yaml): compiles if needed, then runs the synthesis.
'use strict';
const path = require('path');

const root = require('./compile')('; dist/ was not changed');
require(path.join(root, 'lib', 'src', 'main.js'));
