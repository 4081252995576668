/**
 * The generated CI workflow claims Node 20, 22 and 24. CI here runs Node 20; this runs the generated
 * packages' own tests, and a require() of the built package, on Node 22 and 24 too (the `node` package from
 * the npm registry).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
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
  it("check -s none --keep, then test and require() on Node 22 and 24", { timeout: 900_000 }, async (t) => {
    const result = await runCli(["check", "--schema", "none", "--starter", "request-id,auth", "--keep", "--json"], { cwd: work.path, timeoutMs: 600_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; workspace: string; combinations: Array<{ id: string; directory: string }> };
    workspace = report.workspace;
    assert.equal(result.code, 0, result.stderr);
    // On this Node (20.19+ in CI), the built package loads both ways.
    for (const combination of report.combinations) {
      const directory = path.join(workspace, combination.directory);
      for (const code of ['const m = require("./dist/index.js"); if (typeof m.default !== "function") process.exit(1)', 'import("./dist/index.js").then((m) => { if (typeof m.default !== "function") process.exit(1) })']) {
        const loaded = spawnSync(process.execPath, ["-e", code], { cwd: directory, encoding: "utf8" });
        assert.equal(loaded.status, 0, `${combination.id} on ${process.version}: ${code}\n${loaded.stderr}`);
      }
    }
    for (const major of [22, 24]) {
      for (const combination of report.combinations) {
        const directory = path.join(workspace, combination.directory);
        const version = onNode(major, directory, ["--version"]).stdout.trim();
        assert.match(version, new RegExp(`^v${major}\\.`), `node@${major} from the registry`);
        const tests = onNode(major, directory, ["--import", "tsx", "--test", "test/*.test.ts"]);
        assert.equal(tests.status, 0, `${combination.id} on Node ${major}:\n${tests.stdout.slice(-3000)}\n${tests.stderr.slice(-2000)}`);
        const required = onNode(major, directory, ["-e", 'const m = require("./dist/index.js"); if (typeof m.default !== "function") process.exit(1)']);
        assert.equal(required.status, 0, `${combination.id}: require() on Node ${major}: ${required.stderr}`);
        t.diagnostic(`${combination.id} passes on ${version}`);
      }
    }
  });
});
