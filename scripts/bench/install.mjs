// The generated package's first install, what a new user waits for: `npm install` in a fresh Express
// package (`create-middleware x --yes --no-install --no-git`) against the floor any TypeScript Express
// middleware needs (typescript, tsx, express, supertest and their types, at the versions the package asks
// for), in the same alternated rounds, each run in a fresh folder with a fresh, empty npm cache. Also the
// size of node_modules, and whether a fresh install prints any warning ("npm warn"). Targets: install time
// <= 1.20x the floor, node_modules <= 120 MB, no warning.
// npm runs on the newest Node line generated packages support (the `node` package from the registry,
// through npx), so `engines` is judged as a user on a supported Node meets it; BENCH_INSTALL_NODE=host
// keeps this Node.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alternate, median, report } from "./measure.mjs";

const ROUNDS = Number(process.env.BENCH_INSTALL_ROUNDS ?? 3);
const FLOOR = ["typescript", "tsx", "express", "supertest", "@types/express", "@types/supertest", "@types/node"];
const bin = fileURLToPath(new URL("../../bin/create-middleware.cjs", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-bench-install-"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const shell = process.platform === "win32";

/** PATH with the newest supported Node first (npm's shebang then picks it), or the current PATH. */
function nodePath() {
  if (process.env.BENCH_INSTALL_NODE === "host") return { PATH: process.env.PATH, version: process.version };
  // The newest line of src/tables/node-lines.ts (its table rows read `{ major: 26, ... }`).
  const table = readFileSync(fileURLToPath(new URL("../../src/tables/node-lines.ts", import.meta.url)), "utf8");
  const major = Math.max(...[...table.matchAll(/\{ major: (\d+),/g)].map((match) => Number(match[1])));
  const found = spawnSync(npm, ["exec", "--yes", "--package", `node@${major}`, "--", "node", "-p", "process.execPath + ' ' + process.version"], {
    encoding: "utf8",
    shell,
    cwd: scratch,
  });
  const [execPath, version] = found.stdout.trim().split(" ");
  if (found.status !== 0 || !execPath) {
    console.log(`# node@${major} from the registry did not run; npm runs on ${process.version}`);
    return { PATH: process.env.PATH, version: process.version };
  }
  return { PATH: `${path.dirname(execPath)}${path.delimiter}${process.env.PATH}`, version };
}

/** Bytes under a folder, without following links (what `du --apparent-size` counts). @param {string} folder @returns {number} */
function folderBytes(folder) {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else total += lstatSync(full).size;
  }
  return total;
}

// The generated package, rendered once; each run installs a fresh copy of its package.json.
const generated = path.join(scratch, "generated");
const made = spawnSync(process.execPath, [bin, generated, "--yes", "--no-install", "--no-git"], { encoding: "utf8" });
if (made.status !== 0) throw new Error(`create-middleware failed: ${made.stderr}`);
const oursManifest = readFileSync(path.join(generated, "package.json"), "utf8");
const oursDev = JSON.parse(oursManifest).devDependencies;
const floorManifest = JSON.stringify(
  {
    name: "floor",
    version: "0.0.0",
    private: true,
    type: "module",
    devDependencies: Object.fromEntries(FLOOR.map((name) => [name, oursDev[name] ?? "latest"])),
  },
  null,
  2,
);

const { PATH, version } = nodePath();
let runs = 0;
/** The last install of each side: node_modules' size, npm's warnings, the count npm printed. */
const last = /** @type {Record<"ours" | "floor", { megabytes: number, warnings: string[], packages: string | undefined }>} */ ({});
/** One `npm install` of `manifest` in a fresh folder with an empty cache: its wall time; keeps the folder's size and warnings. @param {keyof typeof last} name @param {string} manifest */
function install(name, manifest) {
  const folder = path.join(scratch, `${name}-${runs}`);
  const cache = path.join(scratch, `cache-${runs++}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "package.json"), manifest);
  const start = process.hrtime.bigint();
  const result = spawnSync(npm, ["install", "--no-audit", "--no-fund"], {
    cwd: folder,
    shell,
    encoding: "utf8",
    env: { ...process.env, PATH, npm_config_cache: cache, npm_config_update_notifier: "false", NO_COLOR: "1" },
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`npm install (${name}) failed: ${result.stderr}`);
  const warnings = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /^npm warn/i.test(line));
  last[name] = {
    megabytes: folderBytes(path.join(folder, "node_modules")) / 1e6,
    warnings,
    packages: result.stdout.match(/added (\d+) packages/)?.[1],
  };
  rmSync(folder, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  return elapsed;
}

try {
  const samples = alternate({ ours: () => install("ours", oursManifest), floor: () => install("floor", floorManifest) }, ROUNDS, 1);
  const spread = (/** @type {number[]} */ values) =>
    `(${(Math.min(...values) / 1000).toFixed(1)}-${(Math.max(...values) / 1000).toFixed(1)}s, n=${values.length})`;
  console.log(`# npm install on Node ${version}, empty npm cache each run: medians of ${ROUNDS} alternated runs; floor = ${FLOOR.join(", ")}`);
  const time = report({
    name: "install-time",
    ours: median(samples.ours) / 1000,
    baseline: median(samples.floor) / 1000,
    unit: "s",
    target: 1.2,
    spread: `${spread(samples.ours)} vs ${spread(samples.floor)}`,
  });
  report({
    name: "node_modules-size",
    ours: last.ours.megabytes,
    baseline: last.floor.megabytes,
    unit: "MB",
    spread: `target <= 120 MB: ${last.ours.megabytes <= 120 ? "pass" : "fail"}; ${last.ours.packages} vs ${last.floor.packages} packages`,
  });
  const clean = last.ours.warnings.length === 0;
  console.log(
    `install-warnings            ${String(last.ours.warnings.length).padStart(9)}  ${String(last.floor.warnings.length).padStart(9)}  target 0  ${clean ? "pass" : "fail"}${clean ? "" : `\n  ${last.ours.warnings.join("\n  ")}`}`,
  );
  process.exitCode = time && last.ours.megabytes <= 120 && clean ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
