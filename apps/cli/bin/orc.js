#!/usr/bin/env node
import '../dist/orc.js';
