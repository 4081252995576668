#!/usr/bin/env node
// Node 22.8+ keeps V8's compiled code between runs with module.enableCompileCache() (in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a second run skips compiling the CLI. Where the function
// is missing (Node 20) nothing happens.
require("node:module").enableCompileCache?.();
require("../dist/cli.cjs");
