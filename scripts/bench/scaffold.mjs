// Warm start-up: `create-middleware my-x --yes --no-install --no-git` against create-vite 9.3 scaffolding
// vanilla-ts (`create-vite x --template vanilla-ts --no-interactive`), the peer the project is judged by,
// in the same alternated rounds; target ratio <= 1.00 (1.15 on Node 24). On this Node, also `--help` and `--version` against
// `node -e 0` (target 1.3) and peak memory against create-vite. Then the same scaffold on Node 22 and 24
// (the `node` package from the registry, through npx), where the bin turns on Node's compile cache
// (module.enableCompileCache, bin/create-middleware.cjs): its effect on a second run, and the first run that
// fills the cache; on Node 24 (BENCH_INSTRUCTIONS_NODE_LINE) also the instructions each command executes, counted by
// valgrind, whose ratios hold on a loaded machine where wall time does not (BENCH_INSTRUCTION_ROUNDS=0: not counted).
// create-vite is installed once from the registry into .bench/ (skipped, with a note, when that fails).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alternate, instructions, median, peakMemoryMiB, report, timeOnce } from "./measure.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const OTHER_NODE_LINES = (process.env.BENCH_NODE_LINES ?? "22,24").split(",").filter(Boolean);
// Instruction counts (valgrind) on this line's binary: 0 rounds turns them off.
const INSTRUCTION_LINE = process.env.BENCH_INSTRUCTIONS_NODE_LINE ?? "24";
const INSTRUCTION_ROUNDS = Number(process.env.BENCH_INSTRUCTION_ROUNDS ?? 5);
// The target for a warm scaffold against create-vite: 1.15 on Node 24, 1.00 elsewhere.
const scaffoldTarget = (/** @type {string} */ major) => (major === "24" ? 1.15 : 1);
const bin = fileURLToPath(new URL("../../bin/create-middleware.cjs", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-bench-"));
const cwd = path.join(scratch, "work");
// The compile cache lives in os.tmpdir(), i.e. $TMPDIR: the bench points that into its own scratch folder.
const cacheHome = path.join(scratch, "tmp");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** @type {{ shell: boolean, encoding: "utf8" }} */
const spawnOptions = { shell: process.platform === "win32", encoding: "utf8" };

const CREATE_VITE_VERSION = "9.3.0";
function installCreateVite() {
  const prefix = fileURLToPath(new URL(`../../.bench/create-vite-${CREATE_VITE_VERSION}/`, import.meta.url));
  const entry = path.join(prefix, "node_modules", "create-vite", "index.js");
  if (!existsSync(entry)) {
    const result = spawnSync(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", `create-vite@${CREATE_VITE_VERSION}`], {
      ...spawnOptions,
      stdio: "ignore",
    });
    if (result.status !== 0 || !existsSync(entry)) return undefined;
  }
  return entry;
}

/** The node binary of a Node.js line, from the `node` package on the registry (cached by npx). @param {string} major */
function nodeOfLine(major) {
  const result = spawnSync(npm, ["exec", "--yes", "--package", `node@${major}`, "--", "node", "-p", "process.execPath"], {
    ...spawnOptions,
    cwd: scratch,
  });
  const execPath = result.stdout?.trim().split("\n").at(-1);
  return result.status === 0 && execPath && existsSync(execPath) ? execPath : undefined;
}

const spread = (/** @type {number[]} */ values) => `(${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}ms, n=${values.length})`;

try {
  mkdirSync(cwd);
  mkdirSync(cacheHome);
  /** @param {string} execPath @param {string[]} args @param {NodeJS.ProcessEnv} [env] @returns {import("./measure.mjs").Command} */
  const run = (execPath, args, env = {}) => ({ command: execPath, args, cwd, env: { NO_COLOR: "1", TMPDIR: cacheHome, ...env } });
  const createVite = installCreateVite();
  if (!createVite) console.log(`# create-vite@${CREATE_VITE_VERSION} could not be installed: no comparison with it`);
  /** @param {string} execPath @param {NodeJS.ProcessEnv} [env] @returns {(round: number) => import("./measure.mjs").Command} */
  const scaffold = (execPath, env) => (round) =>
    run(execPath, [bin, `my-x-${round}-${Math.random().toString(36).slice(2, 8)}`, "--yes", "--no-install", "--no-git"], env);
  // An empty cache: the first run after installing (or after the OS cleared its temp folder). Times itself.
  /** @param {string} execPath @returns {(round: number) => number} */
  const firstRun = (execPath) => (round) => {
    const emptyTmp = mkdtempSync(path.join(scratch, "first-"));
    try {
      return timeOnce(scaffold(execPath, { TMPDIR: emptyTmp })(round));
    } finally {
      rmSync(emptyTmp, { recursive: true, force: true });
    }
  };
  /** Only called when create-vite is installed. @param {string} execPath @returns {(round: number) => import("./measure.mjs").Command} */
  const vite = (execPath) => (round) =>
    run(execPath, [
      /** @type {string} */ (createVite),
      `vite-x-${round}-${Math.random().toString(36).slice(2, 8)}`,
      "--template",
      "vanilla-ts",
      "--no-interactive",
    ]);

  // This Node (the project's oldest supported line in CI).
  const extraCa = process.env.NODE_EXTRA_CA_CERTS
    ? { baselineWithoutExtraCa: () => run(process.execPath, ["-e", "0"], { NODE_EXTRA_CA_CERTS: "" }) }
    : {};
  /** @type {Record<string, (round: number) => import("./measure.mjs").Command>} */
  const commands = {
    baseline: () => run(process.execPath, ["-e", "0"]),
    ...extraCa,
    ...(createVite ? { createVite: vite(process.execPath) } : {}),
    scaffold: scaffold(process.execPath),
    help: () => run(process.execPath, [bin, "--help"]),
    version: () => run(process.execPath, [bin, "--version"]),
  };
  const samples = alternate(
    Object.fromEntries(Object.entries(commands).map(([name, make]) => [name, (/** @type {number} */ round) => timeOnce(make(round))])),
    ROUNDS,
  );
  const baseline = median(samples.baseline);
  console.log(`# warm start-up on ${process.version}: medians of ${ROUNDS} alternated runs; node -e 0 ${spread(samples.baseline)}`);
  if (samples.createVite) {
    report({
      name: "scaffold-vs-create-vite",
      ours: median(samples.scaffold),
      baseline: median(samples.createVite),
      unit: "ms",
      target: 1,
      spread: `ours ${spread(samples.scaffold)}, create-vite ${spread(samples.createVite)}`,
    });
  }
  report({ name: "scaffold-time", ours: median(samples.scaffold), baseline, unit: "ms", spread: spread(samples.scaffold) });
  report({ name: "help-time", ours: median(samples.help), baseline, unit: "ms", target: 1.3, spread: spread(samples.help) });
  report({ name: "version-time", ours: median(samples.version), baseline, unit: "ms", target: 1.3, spread: spread(samples.version) });
  if (samples.baselineWithoutExtraCa) {
    const without = median(samples.baselineWithoutExtraCa);
    console.log(
      `# NODE_EXTRA_CA_CERTS is set: node -e 0 takes ${without.toFixed(1)}ms without it, so ${(baseline - without).toFixed(1)}ms of the baseline is Node reading certificates`,
    );
  }

  /** @param {(round: number) => import("./measure.mjs").Command} make */
  const memory = (make) => median(Array.from({ length: 5 }, (_, index) => peakMemoryMiB(make(1000 + index)) ?? Number.NaN));
  const scaffoldMemory = memory(commands.scaffold);
  if (!Number.isFinite(scaffoldMemory)) {
    console.log("# peak memory: /usr/bin/time is not installed (apt-get install time)");
  } else {
    if (createVite)
      report({ name: "peak-memory-vs-create-vite", ours: scaffoldMemory, baseline: memory(commands.createVite), unit: "MiB", target: 1 });
    report({ name: "scaffold-peak-memory", ours: scaffoldMemory, baseline: memory(commands.baseline), unit: "MiB" });
  }

  /**
   * The same commands counted in instructions (valgrind), alternated, medians: a ratio that holds on a loaded
   * machine, where wall time does not. Ours runs with the compile cache the rounds before filled, as every run
   * after the first does.
   * @param {string} execPath
   * @param {string} version
   * @param {string} major
   */
  function measureInstructions(execPath, version, major) {
    const count = (/** @type {(round: number) => import("./measure.mjs").Command} */ make) => (/** @type {number} */ round) => {
      const value = instructions(make(round));
      if (value === undefined) throw new Error("valgrind is not installed");
      return value / 1e6;
    };
    let counts;
    try {
      counts = alternate(
        {
          baseline: count(() => run(execPath, ["-e", "0"])),
          ...(createVite ? { createVite: count(vite(execPath)) } : {}),
          scaffold: count(scaffold(execPath)),
          help: count(() => run(execPath, [bin, "--help"])),
          version: count(() => run(execPath, [bin, "--version"])),
        },
        INSTRUCTION_ROUNDS,
        1,
      );
    } catch (error) {
      console.log(`# no instruction counts: ${/** @type {Error} */ (error).message.split("\n")[0]} (apt-get install valgrind)`);
      return;
    }
    const range = (/** @type {number[]} */ values) => `(${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}M, n=${values.length})`;
    console.log(
      `# instructions on ${version} (valgrind --tool=callgrind, all threads), medians of ${INSTRUCTION_ROUNDS} alternated runs, in millions`,
    );
    if (counts.createVite) {
      report({
        name: `node${major}-scaffold-instr-vs-vite`,
        ours: median(counts.scaffold),
        baseline: median(counts.createVite),
        unit: "M",
        target: scaffoldTarget(major),
        spread: `ours ${range(counts.scaffold)}, create-vite ${range(counts.createVite)}`,
      });
    }
    const baseline = median(counts.baseline);
    report({ name: `node${major}-help-instr`, ours: median(counts.help), baseline, unit: "M", spread: `vs node -e 0 ${range(counts.baseline)}` });
    report({ name: `node${major}-version-instr`, ours: median(counts.version), baseline, unit: "M", spread: `vs node -e 0` });
  }

  // Node 22 and 24: the same scaffold, and what the compile cache does.
  for (const major of OTHER_NODE_LINES) {
    const execPath = nodeOfLine(major);
    if (!execPath) {
      console.log(`# node@${major} could not be fetched with npx: no Node ${major} figures`);
      continue;
    }
    const version = spawnSync(execPath, ["--version"], { encoding: "utf8" }).stdout.trim();
    const lineSamples = alternate(
      {
        ...(createVite ? { createVite: (round) => timeOnce(vite(execPath)(round)) } : {}),
        // The cache from the runs before (the warm-up rounds fill it): what every run after the first gets.
        scaffold: (round) => timeOnce(scaffold(execPath)(round)),
        noCache: (round) => timeOnce(scaffold(execPath, { NODE_DISABLE_COMPILE_CACHE: "1" })(round)),
        // An empty cache: the first run after installing (or after the OS cleared its temp folder).
        firstRun: firstRun(execPath),
      },
      ROUNDS,
    );
    console.log(`# warm start-up on ${version}: medians of ${ROUNDS} alternated runs`);
    if (lineSamples.createVite) {
      report({
        name: `node${major}-scaffold-vs-vite`,
        ours: median(lineSamples.scaffold),
        baseline: median(lineSamples.createVite),
        unit: "ms",
        target: scaffoldTarget(major),
        spread: `ours ${spread(lineSamples.scaffold)}, create-vite ${spread(lineSamples.createVite)}`,
      });
    }
    if (major === INSTRUCTION_LINE && INSTRUCTION_ROUNDS > 0) measureInstructions(execPath, version, major);
    report({
      name: `node${major}-compile-cache`,
      ours: median(lineSamples.scaffold),
      baseline: median(lineSamples.noCache),
      unit: "ms",
      spread: `second run vs cache off ${spread(lineSamples.noCache)}`,
    });
    report({
      name: `node${major}-cache-first-run`,
      ours: median(lineSamples.firstRun),
      baseline: median(lineSamples.noCache),
      unit: "ms",
      spread: `empty cache vs cache off ${spread(lineSamples.firstRun)}`,
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
