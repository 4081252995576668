// Mutation testing of the generated packages: how many small faults in a starter's source its own generated
// tests catch. Run before a release (not in CI: it takes tens of minutes), from the repository root:
//
//   npm run build && npm run mutation [-- --starter express/request-id,socket.io/auth] [--concurrency 2]
//                                      [--work <dir>] [--keep] [--json]
//
// One package per starter and target (`--schema none`, its default options) is rendered with the built CLI
// into an npm workspace in a temporary folder (or --work, reused across runs: only what changed reinstalls),
// installed once with StrykerJS from the npm registry (the versions pinned below), and mutated: every
// file of src/, against the package's own test/*.test.ts run by tsx, one test file per process (Stryker's
// tap runner, so that a mutant runs only the files that reach it). No type checker: the package's
// TypeScript may be the native one (7), which has no JavaScript API for Stryker's checker; a mutant that
// would not type-check simply runs, and is killed or survives on what it does.
//
// Some mutants cannot change what the package does (an equivalent mutant): EQUIVALENT below marks each one
// in the rendered copy, with its reason, before Stryker runs; a marker that no longer finds its line fails
// the run, so the list cannot go stale silently.
//
// stdout: one line per package: starter, score, killed/timeout/survived/no-coverage/ignored counts; then
// each surviving mutant (file:line, mutator, replacement). Exit 0 when every score is at least THRESHOLD,
// 1 when one is below, 2 on bad arguments, and 1 when something crashed.
//
// Ctrl-C or SIGTERM: passed on to the command that runs (StrykerJS stops its workers and removes its temporary
// folder), the run stops when it has ended, nothing is reported, and the exit code is 130 or 143; a second
// signal kills the command at once (scripts/children.mjs).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { passSignalsOn, runChild, Stopped, throwIfStopped } from "./children.mjs";

const STRYKER = { "@stryker-mutator/core": "10.0.0", "@stryker-mutator/tap-runner": "10.0.0" };
// Stryker 10 runs on Node >= 22; on an older Node the script takes this line from the registry's `node` package.
const STRYKER_NODE = 22;
const THRESHOLD = 90;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin/create-middleware.cjs");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Mutants that cannot change behaviour, per starter (`target/starter`, or `*` for every package): the file,
 * text its line contains (the first line that does), the mutator, and why it is equivalent. The
 * marker is Stryker's own comment, written into the rendered copy only: the templates stay as users read them.
 */
const EQUIVALENT = [
  {
    starter: "*",
    file: "src/options.ts",
    line: "if (fallback !== undefined) settings[key] = fallback;",
    mutator: "ConditionalExpression",
    reason: "every field of a starter's own has a default, so no call here comes without a fallback",
  },
  ...["express/blank", "socket.io/blank"].map((starter) => ({
    starter,
    file: "src/index.ts",
    line: "if (!settings.enabled) {",
    mutator: "all",
    reason: "blank's body passes everything on, so turning it off changes nothing until the user's code is there",
  })),
  {
    starter: "express/logger",
    file: "src/index.ts",
    line: '?.info !== "function") {',
    mutator: "OptionalChaining",
    reason: "destination is never null or undefined here: options.log ?? writeLine",
  },
  {
    starter: "express/logger",
    file: "src/index.ts",
    line: "req.socket?.remoteAddress",
    mutator: "OptionalChaining",
    reason: "Node's http server always gives a request its socket",
  },
  ...[
    ["express/async-guard", "only a verdict of exactly true lets a request through: undefined refuses as false does"],
    ["express/auth", "verify's answer is taken for its truth: undefined refuses as false does"],
    ["socket.io/auth", "verify's answer is taken for its truth: undefined refuses as false does"],
  ].map(([starter, reason]) => ({
    starter,
    file: "src/index.ts",
    line: "function refuseUnconfigured(): boolean {",
    mutator: "BlockStatement",
    reason,
  })),
  ...["express/rate-limit", "socket.io/rate-limit"].map((starter) => ({
    starter,
    file: "src/index.ts",
    line: 'if (typeof store?.increment !== "function")',
    mutator: "OptionalChaining",
    reason: "store is options.store ?? new MemoryStore(): never null or undefined here",
  })),
  ...["express/rate-limit", "socket.io/rate-limit"].map((starter) => ({
    starter,
    file: "src/ipv6.ts",
    line: 'if (!address.includes(":")) return address;',
    mutator: "StringLiteral",
    reason: "a shortcut: text without a colon never parses as eight IPv6 groups, so it is returned as it is either way",
  })),
  {
    starter: "express/auth",
    file: "src/index.ts",
    line: 'BEARER.exec(req.headers.authorization ?? "")',
    mutator: "StringLiteral",
    reason: "any string without a bearer token gives the same: no token",
  },
];

const { values: args } = parseArgs({
  options: {
    starter: { type: "string" },
    concurrency: { type: "string", default: "2" },
    work: { type: "string" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

/** @param {string} message @returns {never} */
function usage(message) {
  console.error(`mutation: ${message}`);
  process.exit(2);
}

const concurrency = Number(args.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) usage(`--concurrency must be a whole number >= 1, got ${JSON.stringify(args.concurrency)}`);
if (!existsSync(path.join(ROOT, "dist/cli.cjs"))) usage("run `npm run build` first: the packages are rendered by the built CLI");

const log = (/** @type {string} */ message) => process.stderr.write(`mutation: ${message}\n`);
passSignalsOn(log);

/**
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {string} cwd
 * @param {{ capture?: boolean }} [options]
 */
async function run(command, commandArgs, cwd, options = {}) {
  // stdout is the report's: what the commands print goes to stderr.
  const result = await runChild(command, commandArgs, { cwd, capture: options.capture ?? false, stdout: "stderr" }).catch((error) => {
    if (error instanceof Stopped) throw error;
    throw new Error(`${command} ${commandArgs.join(" ")} (in ${cwd}) failed: ${error instanceof Error ? error.message : error}`);
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${commandArgs.join(" ")} (in ${cwd}) failed: exit ${result.status ?? result.signal}\n${result.stderr}`);
  }
  return result.stdout;
}

/** @typedef {{ target: string, starter: string }} StarterId */

/** Every starter of every target, from the starter table (src/tables/starters.ts, read through tsx). @returns {Promise<StarterId[]>} */
async function allStarters() {
  const code = `import { TARGETS } from "./src/tables/targets.ts"; import { startersFor } from "./src/tables/starters.ts";
console.log(JSON.stringify(TARGETS.flatMap((target) => startersFor(target).map((starter) => ({ target, starter })))));`;
  return JSON.parse(await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], ROOT, { capture: true }));
}

const everyStarter = await allStarters();
const wanted = args.starter?.split(",").map((name) => name.trim());
const packages = wanted
  ? wanted.map((name) => {
      const found = everyStarter.find(({ target, starter }) => `${target}/${starter}` === name);
      if (!found) usage(`unknown starter "${name}"; valid: ${everyStarter.map(({ target, starter }) => `${target}/${starter}`).join(", ")}`);
      return found;
    })
  : everyStarter;
const folderOf = (/** @type {StarterId} */ { target, starter }) => `mut-${target.replace(/[^a-z]/g, "")}-${starter}`;

/** A node binary of Stryker's Node line: this one when it is recent enough, else the registry's. */
/** @param {string} scratch */
async function strykerNode(scratch) {
  if (Number(process.versions.node.split(".")[0]) >= STRYKER_NODE) return process.execPath;
  log(`Node ${process.version} is older than Stryker needs: taking node@${STRYKER_NODE} from the registry`);
  const out = await run(npm, ["exec", "--yes", "--package", `node@${STRYKER_NODE}`, "--", "node", "-p", "process.execPath"], scratch, {
    capture: true,
  });
  const execPath = out.trim().split("\n").at(-1);
  if (!execPath || !existsSync(execPath)) throw new Error(`node@${STRYKER_NODE} from the registry gave no binary (${out})`);
  return execPath;
}

/** Writes Stryker's disable comments over the equivalent mutants of one rendered package. */
/** @param {string} directory @param {string} id */
function markEquivalents(directory, id) {
  for (const entry of EQUIVALENT.filter(({ starter }) => starter === id || starter === "*")) {
    const file = path.join(directory, entry.file);
    if (!existsSync(file)) throw new Error(`EQUIVALENT: ${id} has no ${entry.file}: update the list in scripts/mutation.mjs`);
    const lines = readFileSync(file, "utf8").split("\n");
    const index = lines.findIndex((line) => line.includes(entry.line));
    if (index === -1) {
      throw new Error(`EQUIVALENT: no line "${entry.line}" in ${id}'s ${entry.file}: update the list in scripts/mutation.mjs`);
    }
    const indent = /^\s*/.exec(lines[index] ?? "")?.[0] ?? "";
    lines.splice(index, 0, `${indent}// Stryker disable next-line ${entry.mutator}: ${entry.reason}`);
    writeFileSync(file, lines.join("\n"));
  }
}

/** @param {string} work */
async function prepare(work) {
  mkdirSync(path.join(work, "packages"), { recursive: true });
  for (const pkg of packages) {
    const directory = path.join(work, "packages", folderOf(pkg));
    rmSync(directory, { recursive: true, force: true });
    await run(
      process.execPath,
      [BIN, directory, "--target", pkg.target, "--starter", pkg.starter, "--schema", "none", "--yes", "--no-install", "--no-git"],
      work,
      {
        capture: true,
      },
    );
    markEquivalents(directory, `${pkg.target}/${pkg.starter}`);
    const config = {
      $schema: "../../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
      testRunner: "tap",
      plugins: ["@stryker-mutator/tap-runner"],
      tap: { testFiles: ["test/*.test.ts"], nodeArgs: ["--import", "tsx", "--test-reporter=tap"] },
      mutate: ["src/**/*.ts", "!src/**/*.d.ts"],
      coverageAnalysis: "perTest",
      concurrency,
      reporters: ["json", "progress"],
      jsonReporter: { fileName: "mutation/report.json" },
      tempDirName: "mutation/tmp",
      // Stryker rewrites the tsconfig it is given through TypeScript's JavaScript API, which the native
      // TypeScript (7) lacks; tsx needs no rewrite (the tsconfig points outside nothing): name none.
      tsconfigFile: "no-tsconfig-for-stryker.json",
      cleanTempDir: "always",
      // Tests that start servers take a few hundred milliseconds; a mutant that hangs is a kill (a timeout).
      timeoutMS: 10_000,
    };
    writeFileSync(path.join(directory, "stryker.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  }
  const manifest = { name: "create-middleware-mutation", private: true, workspaces: ["packages/*"], devDependencies: STRYKER };
  writeFileSync(path.join(work, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`npm install in ${work} (the packages' dev dependencies and StrykerJS ${STRYKER["@stryker-mutator/core"]})`);
  await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline"], work);
}

/** Stryker's score: killed and timed-out mutants over every mutant that ran or had no test (ignored ones aside). */
/**
 * @param {{ files: Record<string, { source: string, mutants: Array<{ status: string, mutatorName: string, replacement?: string, location: { start: { line: number, column: number }, end: { line: number, column: number } } }> }> }} report
 */
function score(report) {
  /** @type {Record<string, number> & { Killed: number, Timeout: number, Survived: number, NoCoverage: number, Ignored: number }} */
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 };
  const survivors = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split("\n");
    for (const mutant of mutants) {
      counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
        const { start, end } = mutant.location;
        // What the mutant replaced: the source between its start and end (lines and columns count from 1).
        const original =
          start.line === end.line
            ? lines[start.line - 1]?.slice(start.column - 1, end.column - 1)
            : [
                lines[start.line - 1]?.slice(start.column - 1),
                ...lines.slice(start.line, end.line - 1),
                lines[end.line - 1]?.slice(0, end.column - 1),
              ].join("\n");
        survivors.push({
          where: `${file}:${start.line}`,
          status: mutant.status,
          mutator: mutant.mutatorName,
          replacement: mutant.replacement,
          original,
        });
      }
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { score: valid === 0 ? 100 : (100 * detected) / valid, counts, survivors };
}

const work = args.work ? path.resolve(args.work) : mkdtempSync(path.join(os.tmpdir(), "cm-mutation-"));
let failed = false;
/** Set when a signal stopped the run: its exit code (130, 143). @type {number | undefined} */
let stoppedWith;
/** @type {Array<{ id: string, error: string } | ({ id: string, seconds: number, error?: undefined } & ReturnType<typeof score>)>} */
const results = [];
try {
  await prepare(work);
  const node = await strykerNode(work);
  const stryker = path.join(work, "node_modules/@stryker-mutator/core/bin/stryker.js");
  // The tap runner starts each test file with the `node` on PATH: Stryker's own.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
  for (const pkg of packages) {
    throwIfStopped();
    const id = `${pkg.target}/${pkg.starter}`;
    const directory = path.join(work, "packages", folderOf(pkg));
    log(`${id}: stryker run (${directory})`);
    const started = Date.now();
    const result = await runChild(node, [stryker, "run", "stryker.config.json"], { cwd: directory, env });
    const reportFile = path.join(directory, "mutation/report.json");
    if (result.status !== 0 || !existsSync(reportFile)) {
      failed = true;
      results.push({ id, error: `stryker exited ${result.status ?? result.signal}` });
      log(`${id}: stryker failed (exit ${result.status ?? result.signal}); rerun in ${directory} with --keep to see why`);
      continue;
    }
    const measured = score(JSON.parse(readFileSync(reportFile, "utf8")));
    results.push({ id, seconds: Math.round((Date.now() - started) / 1000), ...measured });
  }
} catch (error) {
  failed = true;
  if (error instanceof Stopped) stoppedWith = error.exitCode;
  log(error instanceof Error ? error.message : String(error));
} finally {
  if (!args.keep && !args.work) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

if (stoppedWith !== undefined) process.exit(stoppedWith);
if (args.json) console.log(JSON.stringify(results, null, 2));
else {
  for (const result of results) {
    if (result.error !== undefined) {
      console.log(`${result.id.padEnd(24)} error: ${result.error}`);
      continue;
    }
    const { Killed, Timeout, Survived, NoCoverage, Ignored } = result.counts;
    console.log(
      `${result.id.padEnd(24)} ${result.score.toFixed(2).padStart(6)} %  killed ${Killed}, timeout ${Timeout}, survived ${Survived}, no coverage ${NoCoverage}, ignored ${Ignored} (${result.seconds} s)`,
    );
    for (const survivor of result.survivors) {
      console.log(
        `  ${survivor.status.padEnd(10)} ${survivor.where} ${survivor.mutator}: ${JSON.stringify(survivor.original)} -> ${JSON.stringify(survivor.replacement)}`,
      );
    }
  }
}
const below = results.filter((result) => result.error === undefined && result.score < THRESHOLD);
if (below.length > 0) log(`below ${THRESHOLD} %: ${below.map((result) => result.id).join(", ")}`);
process.exit(failed || below.length > 0 ? 1 : 0);
