/**
 * When create cannot finish git itself (no git identity, or Ctrl-C before the git step), it prints the
 * commands that finish the job. Run as printed, they must leave a package whose `update` finds its base in
 * git (the pristine ref, or create's own initial commit), which still works after a CLI upgrade, unlike a
 * re-render of the recorded version.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let gitEnv: NodeJS.ProcessEnv;
let anonymousGitEnv: NodeJS.ProcessEnv;
before(async () => {
  work = await tempDir("cm-finish-");
  const config = path.join(work.path, "gitconfig");
  writeFileSync(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n");
  const empty = path.join(work.path, "gitconfig-empty");
  writeFileSync(empty, "");
  const clean = {
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    EMAIL: undefined,
  };
  gitEnv = { ...clean, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" };
  anonymousGitEnv = { ...clean, GIT_CONFIG_GLOBAL: empty, GIT_CONFIG_NOSYSTEM: "1" };
});
after(() => work.remove());

/** Runs the advice as the user would paste it into a shell, with an identity now. */
function runAdvice(command: string): void {
  const result = spawnSync("sh", ["-c", command], { cwd: work.path, encoding: "utf8", env: { ...process.env, ...gitEnv } });
  assert.equal(result.status, 0, `${command}\n${result.stderr}`);
}

/** Where `update` would take its base from. */
async function baseOf(directory: string): Promise<string> {
  const result = await runCli(["update", directory, "--dry-run", "--json"], { cwd: work.path, env: gitEnv });
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { base: { kind: string } }).base.kind;
}

describe("the finish advice keeps the update base", () => {
  it("without a git identity: the printed commit leaves the pristine ref and a commit update recognises", async () => {
    const result = await runCli(["anonymous", "--yes", "--no-install"], { cwd: work.path, env: anonymousGitEnv });
    assert.equal(result.code, 0, result.stderr);
    const advice = /then: (git add -A && git commit -m "[^"]+")\)/.exec(result.stdout);
    assert.ok(advice, result.stdout);
    runAdvice(`cd anonymous && ${advice[1]}`);
    assert.equal(await baseOf("anonymous"), "git");
    // Without the ref (a fresh clone does not fetch it), the commit made as advised is still the base.
    spawnSync("git", ["update-ref", "-d", "refs/create-middleware/base"], { cwd: path.join(work.path, "anonymous") });
    assert.equal(await baseOf("anonymous"), "initial-commit");
  });

  it("Ctrl-C before git: the printed commands make create's initial commit", async () => {
    const child = spawn(process.execPath, [BIN, "stopped", "--yes", "--no-install"], {
      cwd: work.path,
      env: { ...process.env, ...gitEnv, CREATE_MIDDLEWARE_TEST_PAUSE: "written", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      if (stderr.includes("[test pause] written") && !child.killed) child.kill("SIGINT");
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 130, stderr);
    const advice = /To finish: (.*)$/m.exec(stderr);
    assert.ok(advice, stderr);
    runAdvice(advice[1]!);
    assert.equal(await baseOf("stopped"), "initial-commit");
  });
});
