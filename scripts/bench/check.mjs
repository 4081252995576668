// Benchmark of `create-middleware check` over the full default matrix (every target x schema).
// Prints one line: name, ours (wall time of the whole command), baseline (the shared npm install inside it),
// ratio (ours / baseline) and target (under 60 s on a 2-core machine with a warm npm cache).
// Run `npm run build` first. `--warm` runs the check once before measuring, to warm the npm cache.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/create-middleware.cjs", import.meta.url));
const TARGET_SECONDS = 60;

function runCheck() {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, "check", "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
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

if (process.argv.includes("--warm")) runCheck();
const { wall, report, status, stderr } = runCheck();
if (status !== 0) process.stderr.write(`${stderr}\nwarning: check exited ${status}; timings are of a failing run\n`);
const install = report.install.durationMs / 1000;
const ratio = install > 0 ? wall / install : 0;
const share = Math.round((install / wall) * 100);
console.log(
  `check-full-matrix (${report.combinations.length} packages, ${report.parallelism} at a time): ` +
    `ours ${wall.toFixed(1)}s, baseline ${install.toFixed(1)}s (npm install, ${share}% of ours), ratio ${ratio.toFixed(2)}, target <${TARGET_SECONDS}s`,
);
