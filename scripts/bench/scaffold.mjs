// Scaffold time: `create-middleware my-x --yes --no-install --no-git`, `--help` and `--version`, each against
// `node -e 0` measured in the same alternated rounds. Medians; peak memory from GNU time. For reference,
// create-vite (the yardstick) scaffolding vanilla-ts in the same rounds, installed once from the
// registry into .bench/ (skipped, with a note, when that install fails).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alternate, median, peakMemoryMiB, report, timeOnce } from "./measure.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const bin = fileURLToPath(new URL("../../bin/create-middleware.cjs", import.meta.url));
const cwd = mkdtempSync(path.join(os.tmpdir(), "cm-bench-"));
const node = (args) => ({ command: process.execPath, args, cwd, env: { NO_COLOR: "1" } });

const CREATE_VITE_VERSION = "9.3.0";
function installCreateVite() {
  const prefix = fileURLToPath(new URL(`../../.bench/create-vite-${CREATE_VITE_VERSION}/`, import.meta.url));
  const entry = path.join(prefix, "node_modules", "create-vite", "index.js");
  if (!existsSync(entry)) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", `create-vite@${CREATE_VITE_VERSION}`], { stdio: "ignore", shell: process.platform === "win32" });
    if (result.status !== 0 || !existsSync(entry)) return undefined;
  }
  return entry;
}

try {
  // Node reads NODE_EXTRA_CA_CERTS at every start, before any code runs; where it is set (this project's
  // build machines) it is most of the baseline, so the bench also shows node -e 0 without it.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS ? { baselineWithoutExtraCa: () => ({ ...node(["-e", "0"]), env: { NODE_EXTRA_CA_CERTS: "" } }) } : {};
  const createVite = installCreateVite();
  if (!createVite) console.log(`# create-vite@${CREATE_VITE_VERSION} could not be installed; no reference line`);
  const reference = createVite ? { createVite: (round) => node([createVite, `vite-x-${round}`, "--template", "vanilla-ts", "--no-interactive"]) } : {};
  const commands = {
    baseline: () => node(["-e", "0"]),
    ...extraCa,
    ...reference,
    scaffold: (round) => node([bin, `my-x-${round}`, "--yes", "--no-install", "--no-git"]),
    help: () => node([bin, "--help"]),
    version: () => node([bin, "--version"]),
  };
  const samples = alternate(
    Object.fromEntries(Object.entries(commands).map(([name, make]) => [name, (round) => timeOnce(make(round))])),
    ROUNDS,
  );
  const baseline = median(samples.baseline);
  const spread = (values) => `(${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}ms, n=${values.length})`;
  console.log(`# scaffold: medians of ${ROUNDS} alternated runs; baseline node -e 0 ${spread(samples.baseline)}`);
  report({ name: "scaffold-time", ours: median(samples.scaffold), baseline, unit: "ms", target: 1.3, spread: spread(samples.scaffold) });
  report({ name: "help-time", ours: median(samples.help), baseline, unit: "ms", target: 1.3, spread: spread(samples.help) });
  report({ name: "version-time", ours: median(samples.version), baseline, unit: "ms", target: 1.3, spread: spread(samples.version) });
  if (samples.createVite) {
    report({ name: "create-vite-reference", ours: median(samples.createVite), baseline, unit: "ms", spread: spread(samples.createVite) });
  }
  if (samples.baselineWithoutExtraCa) {
    const without = median(samples.baselineWithoutExtraCa);
    console.log(`# NODE_EXTRA_CA_CERTS is set: node -e 0 takes ${without.toFixed(1)}ms without it, so ${(baseline - without).toFixed(1)}ms of the baseline is Node reading certificates`);
  }

  const memory = (make) => median(Array.from({ length: 5 }, (_, index) => peakMemoryMiB(make(1000 + index)) ?? Number.NaN));
  const baselineMemory = memory(commands.baseline);
  if (Number.isFinite(baselineMemory)) {
    report({ name: "scaffold-peak-memory", ours: memory(commands.scaffold), baseline: baselineMemory, unit: "MiB" });
  } else {
    console.log("# peak memory: /usr/bin/time is not installed (apt-get install time)");
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
