/**
 * `create-middleware update --schema` on a package with its own git history, against the built CLI: the
 * update installs the new schema library from the npm registry, keeps the user's code, and the package
 * still passes its own typecheck and tests. The rest of update is test/e2e/update.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;

before(async () => {
  work = await tempDir("cm-update-migration-");
  const config = path.join(work.path, "gitconfig");
  await writeFile(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
  env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" };
});
after(() => work.remove());

const cm = (cwd: string, ...args: string[]) => runCli(args, { cwd, env, timeoutMs: 60_000 });
const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
};

describe("a schema migration (none -> zod): an answer changed on update (copier tests/test_updatediff.py::test_update_inline_changed_answers_and_questions)", () => {
  it("keeps the user's code outside the options module, and the package passes its own typecheck and tests", { timeout: 600_000 }, async () => {
    const made = await cm(work.path, "migrating", "--yes", "--no-install");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "migrating");
    const index = path.join(pkg, "src", "index.ts");
    const extra = "\n/** The team's own helper, kept across updates. */\nexport const teamTag = (id: string): string => `team:${id}`;\n";
    await writeFile(index, `${await readFile(index, "utf8")}${extra}`);
    git(pkg, "commit", "-qam", "A helper of our own");

    // The update installs zod itself (package.json's dependencies change): no npm install by hand below.
    const result = await runCli(["update", "--schema", "zod"], { cwd: pkg, env, timeoutMs: 300_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /schema: none -> zod/);
    assert.match(result.stdout, /Installed dependencies in/);
    assert.ok((await readFile(index, "utf8")).endsWith(extra), "the user's code is kept");
    assert.match(await readFile(path.join(pkg, "src", "options.ts"), "utf8"), /from "zod"/);
    const manifest = JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    assert.ok(manifest.dependencies?.zod, "zod is a dependency now");
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { answers: Record<string, unknown> };
    assert.equal(record.answers.schema, "zod");
    assert.equal(record.answers.starter, "request-id", "every other answer is kept (the starter, the fields)");
    assert.equal(record.answers.options, null);

    const npm = (...args: string[]) =>
      spawnSync("npm", args, { cwd: pkg, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
    for (const args of [["run", "typecheck"], ["test"]]) {
      const run = npm(...args);
      assert.equal(run.status, 0, `npm ${args.join(" ")}:\n${run.stdout}\n${run.stderr}`);
    }
  });
});
