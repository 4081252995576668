// Benchmark of `create-middleware check` over the full default matrix (every target x schema).
// First line: `check --snapshot` (render every combination in memory, compare with test/snapshots/matrix)
// against `node -e 0`, medians of alternated runs; target about a second in absolute terms, shown as the
// ratio that second is of the baseline.
// Then two lines for the full check: warm (node_modules reused from the check's cache, kept in
// .bench/check-cache/; target 30 s on a 2-core machine), and fresh (--no-cache: name, ours (wall time of the
// whole command), baseline (the shared npm install inside it), its share and ratio (ours / baseline)).
// Run `npm run build` first. `--warm` runs the check once more before measuring, to warm the npm cache.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { alternate, median, report } from "./measure.mjs";

const BIN = fileURLToPath(new URL("../../bin/create-middleware.cjs", import.meta.url));
const TARGET_SECONDS = 30;
const CACHE = fileURLToPath(new URL("../../.bench/check-cache/", import.meta.url));

/** @param {string[]} extra */
function runCheck(extra = []) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, "check", "--json", ...extra], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CREATE_MIDDLEWARE_CACHE: CACHE },
  });
  const wall = (performance.now() - started) / 1000;
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    process.stderr.write(result.stderr);
    throw new Error(`check printed no JSON report (exit ${result.status})`);
  }
  return { wall, report, status: result.status, stderr: result.stderr };
}

const SNAPSHOTS = fileURLToPath(new URL("../../test/snapshots/matrix/", import.meta.url));
const SNAPSHOT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SNAPSHOT_TARGET_MS = 1000;
/** @param {string[]} args */
function timeRun(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const snapshotSamples = alternate(
  { baseline: () => timeRun(["-e", "0"]), snapshot: () => timeRun([BIN, "check", "--snapshot", SNAPSHOTS]) },
  SNAPSHOT_ROUNDS,
);
const snapshotBaseline = median(snapshotSamples.baseline);
const spread = (/** @type {number[]} */ values) =>
  `(${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}ms, n=${values.length}; target: ${SNAPSHOT_TARGET_MS}ms)`;
report({
  name: "check-snapshot-matrix",
  ours: median(snapshotSamples.snapshot),
  baseline: snapshotBaseline,
  unit: "ms",
  target: Number((SNAPSHOT_TARGET_MS / snapshotBaseline).toFixed(1)),
  spread: spread(snapshotSamples.snapshot),
});

if (process.argv.includes("--warm")) runCheck();
// Warm: node_modules from the cache. A first run fills it when it is empty or older than a day.
let warm = runCheck();
if (!warm.report.install.cached) warm = runCheck();
if (warm.status !== 0) process.stderr.write(`${warm.stderr}\nwarning: check exited ${warm.status}; timings are of a failing run\n`);
console.log(
  `check-full-matrix-warm (${warm.report.combinations.length} packages, ${warm.report.parallelism} at a time, node_modules ${warm.report.install.cached ? "cached" : "NOT cached"}): ` +
    `ours ${warm.wall.toFixed(1)}s, target <=${TARGET_SECONDS}s ${warm.wall <= TARGET_SECONDS ? "pass" : "fail"}`,
);
// Fresh: --no-cache, the install inside it as the baseline.
const { wall, report: checkReport, status, stderr } = runCheck(["--no-cache"]);
if (status !== 0) process.stderr.write(`${stderr}\nwarning: check exited ${status}; timings are of a failing run\n`);
const install = checkReport.install.durationMs / 1000;
const ratio = install > 0 ? wall / install : 0;
const share = Math.round((install / wall) * 100);
console.log(
  `check-full-matrix-fresh (${checkReport.combinations.length} packages, --no-cache): ` +
    `ours ${wall.toFixed(1)}s, baseline ${install.toFixed(1)}s (npm install, ${share}% of ours), ratio ${ratio.toFixed(2)}`,
);
