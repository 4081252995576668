// Shared by the benchmarks: alternated timing of commands, medians, and the one-line report format.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** @param {readonly number[]} values */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** @typedef {{ command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv }} Command */

/** Wall time of one run of `command`, in milliseconds. Throws if it fails: a broken run is not a figure. @param {Command} run */
export function timeOnce({ command, args, cwd, env }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return elapsed;
}

/** Peak resident memory of one run in MiB, from GNU time; undefined where it is not installed. @param {Command} run */
export function peakMemoryMiB({ command, args, cwd, env }) {
  if (!existsSync("/usr/bin/time")) return undefined;
  const result = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  const kib = Number(result.stderr.trim().split("\n").at(-1));
  return Number.isFinite(kib) ? kib / 1024 : undefined;
}

/**
 * Runs every case in turn, round after round, so that noise from the machine hits them all alike.
 * `cases` maps a name to a function returning one measurement. Returns name -> samples.
 * @param {Record<string, (round: number) => number>} cases
 * @param {number} rounds
 */
export function alternate(cases, rounds, warmup = 2) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, /** @type {number[]} */ ([])]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const value = run(round);
      if (round >= warmup) samples[name].push(value);
    }
  }
  return samples;
}

/**
 * One line per figure: name, ours, baseline, ratio, target, verdict, spread.
 * @param {{ name: string, ours: number, baseline: number, unit: string, target?: number, higherIsBetter?: boolean, spread?: string }} figure
 */
export function report({ name, ours, baseline, unit, target, higherIsBetter = false, spread = "" }) {
  const ratio = ours / baseline;
  const pass = target === undefined ? "" : higherIsBetter ? ratio >= target : ratio <= target;
  const fmt = (/** @type {number} */ value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)}${unit}`;
  const columns = [
    name.padEnd(26),
    fmt(ours).padStart(10),
    fmt(baseline).padStart(10),
    ratio.toFixed(3).padStart(7),
    (target === undefined ? "-" : `${higherIsBetter ? ">=" : "<="}${target}`).padStart(7),
    (target === undefined ? "info" : pass ? "pass" : "fail").padStart(5),
    spread,
  ];
  console.log(columns.join("  "));
  return pass;
}

/**
 * Instructions one run of `command` executes, all threads, from valgrind's callgrind (`Collected`), or undefined
 * where valgrind is not installed. Unlike wall or CPU time, the count hardly moves when other work loads the
 * machine (about 1-3% between runs: the garbage collector's helper threads), so two commands compare on a busy
 * machine too. Under valgrind a run takes some 50 times longer; only the count means anything.
 * @param {Command} run
 */
export function instructions({ command, args, cwd, env }) {
  const result = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (/** @type {NodeJS.ErrnoException | undefined} */ (result.error)?.code === "ENOENT") return undefined;
  const collected = /Collected : (\d+)/.exec(result.stderr ?? "");
  if (result.status !== 0 || !collected)
    throw new Error(`valgrind ${command} ${args.join(" ")} failed (${result.status}): ${result.stderr?.slice(-2000)}`);
  return Number(collected[1]);
}
