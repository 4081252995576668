// `npm run bench`: every performance figure, one line each (name, ours, baseline, ratio, target), each a ratio
// against a baseline measured in the same run. Runs the parts in turn so they do not load the machine together.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const parts = [
  ["cold start: npm exec with an empty npm cache", "scripts/bench/cold.mjs"],
  ["warm start-up and scaffold", "scripts/bench/scaffold.mjs"],
  ["generated middleware under load", "scripts/bench/middleware.mjs"],
  ["check matrix", "scripts/bench/check.mjs"],
  ["the generated package's first install", "scripts/bench/install.mjs"],
];
const only = process.argv.slice(2);
let failed = false;
for (const [title, script] of parts) {
  if (only.length > 0 && !only.some((name) => script.includes(name))) continue;
  if (!existsSync(script)) continue;
  console.log(`\n## ${title} (${script})`);
  const result = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
