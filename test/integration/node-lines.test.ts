/**
 * The generated CI workflow and engines claim the lines of src/tables/node-lines.ts (22, 24, 26). This runs the
 * generated packages' own tests, their coverage script (thresholds and all), and a require() of the built
 * package on each of them (the `node` package from the npm registry), whatever Node runs the suite.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { NODE_VERSIONS } from "../../src/tables/node-lines.js";
import { runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let workspace: string | undefined;

before(async () => {
  work = await tempDir("cm-node-lines-");
});
after(async () => {
  if (workspace) await rm(workspace, { recursive: true, force: true });
  await work.remove();
});

function onNode(major: number, cwd: string, args: string[]) {
  return spawnSync("npx", ["-y", "-p", `node@${major}`, "node", ...args], { cwd, encoding: "utf8", timeout: 300_000 });
}

describe("generated packages on the Node lines their CI claims", () => {
  it(`check -s none --keep, then test, test:coverage and require() on Node ${NODE_VERSIONS.join(", ")}`, { timeout: 1_500_000 }, async (t) => {
    const result = await runCli(["check", "--schema", "none", "--starter", "request-id,auth", "--keep", "--json"], {
      cwd: work.path,
      timeoutMs: 600_000,
    });
    const report = JSON.parse(result.stdout) as { ok: boolean; workspace: string; combinations: Array<{ id: string; directory: string }> };
    workspace = report.workspace;
    assert.equal(result.code, 0, result.stderr);
    // On the Node running the suite too (the CLI runs on 20.19 and later), the built package loads both ways.
    for (const combination of report.combinations) {
      const directory = path.join(workspace, combination.directory);
      for (const code of [
        'const m = require("./dist/index.js"); if (typeof m.default !== "function") process.exit(1)',
        'import("./dist/index.js").then((m) => { if (typeof m.default !== "function") process.exit(1) })',
      ]) {
        const loaded = spawnSync(process.execPath, ["-e", code], { cwd: directory, encoding: "utf8" });
        assert.equal(loaded.status, 0, `${combination.id} on ${process.version}: ${code}\n${loaded.stderr}`);
      }
    }
    for (const major of NODE_VERSIONS) {
      for (const combination of report.combinations) {
        const directory = path.join(workspace, combination.directory);
        const version = onNode(major, directory, ["--version"]).stdout.trim();
        assert.match(version, new RegExp(`^v${major}\\.`), `node@${major} from the registry`);
        const tests = onNode(major, directory, ["--import", "tsx", "--test", "test/*.test.ts"]);
        assert.equal(tests.status, 0, `${combination.id} on Node ${major}:\n${tests.stdout.slice(-3000)}\n${tests.stderr.slice(-2000)}`);
        // The package's own coverage command, as its CI runs it on every line (it once used an option Node 20 lacks).
        const coverageScript =
          (JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["test:coverage"] ??
          "";
        assert.match(coverageScript, /^node /);
        const coverage = onNode(major, directory, coverageScript.split(" ").slice(1));
        assert.equal(
          coverage.status,
          0,
          `${combination.id}: test:coverage on Node ${major}:\n${coverage.stdout.slice(-3000)}\n${coverage.stderr.slice(-2000)}`,
        );
        const required = onNode(major, directory, [
          "-e",
          'const m = require("./dist/index.js"); if (typeof m.default !== "function") process.exit(1)',
        ]);
        assert.equal(required.status, 0, `${combination.id}: require() on Node ${major}: ${required.stderr}`);
        t.diagnostic(`${combination.id} passes on ${version}`);
      }
    }
  });
});
