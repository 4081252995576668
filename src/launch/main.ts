/**
 * What bin/create-middleware.cjs runs: the command line (cli.cjs), compiled from V8's code cache after the
 * first run (code-cache.ts). A run that ends well writes the cache, unless it only printed the help or the
 * version: those compile little, and their cache would serve a scaffold badly.
 */
import { join } from "node:path";
import { requireWithCodeCache } from "./code-cache.js";

/** A hash of cli.cjs, put here by scripts/build.mjs. */
declare const CLI_BUILD_ID: string;

const QUICK_FLAGS = new Set(["-h", "--help", "-V", "--version"]);
const quick = process.argv.slice(2).some((arg) => QUICK_FLAGS.has(arg));

requireWithCodeCache(join(import.meta.dirname, "cli.cjs"), {
  buildId: CLI_BUILD_ID,
  shouldWrite: (exitCode) => exitCode === 0 && !quick,
});
