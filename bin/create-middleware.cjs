#!/usr/bin/env node
// Node 22.8+ keeps V8's compiled code of the modules it loads between runs with module.enableCompileCache()
// (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off); where the function is missing (Node 20)
// nothing happens. The command line itself is loaded with a cache of its own that works on every line
// (src/launch/code-cache.ts).
require("node:module").enableCompileCache?.();
require("../dist/launch.cjs");
