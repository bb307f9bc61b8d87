#!/usr/bin/env node
// CommonJS (bin/package.json): starting with `require` keeps node's ESM loader out of every command.
require('../dist/orc.js');
