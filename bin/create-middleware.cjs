#!/usr/bin/env node
// Node >= 22.1 keeps V8's compiled code between runs (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1
// turns it off), so a second run skips compiling the CLI. Older Node has no such function: nothing happens.
require("node:module").enableCompileCache?.();
require("../dist/cli.cjs");
