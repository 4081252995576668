/** The git step, against real git in temporary folders with an isolated config. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { gitEnvironment, initGitRepository, INITIAL_COMMIT_MESSAGE, supportsInitialBranch } from "../../src/system/git.js";
import { runCommand, type Runner } from "../../src/system/run-command.js";

let root: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cm-git-"));
});
after(() => rm(root, { recursive: true, force: true }));

describe("initGitRepository", () => {
  const git = (cwd: string, ...args: string[]) =>
    spawnSync("git", args, { cwd, encoding: "utf8", env: gitEnvironment({ ...isolatedGit, PATH: process.env.PATH }) });
  let isolatedGit: NodeJS.ProcessEnv;
  before(async () => {
    const config = path.join(root, "gitconfig");
    await writeFile(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
    isolatedGit = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1", HOME: root };
  });

  async function packageDir(name: string, files: Record<string, string> = { "package.json": "{}\n", "src/index.ts": "export {};\n" }) {
    const directory = path.join(root, name);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
      await writeFile(path.join(directory, file), text);
    }
    return { directory, files: Object.keys(files) };
  }

  it("initialises and commits only the generated files (and a lockfile)", async () => {
    const { directory, files } = await packageDir("fresh", {
      "package.json": "{}\n",
      ".gitignore": "node_modules\ndist\n",
      "src/index.ts": "export {};\n",
      "dist/ignored.js": "",
    });
    await writeFile(path.join(directory, "package-lock.json"), "{}\n");
    await writeFile(path.join(directory, "secret.env"), "not ours\n");
    await mkdir(path.join(directory, "node_modules"));
    await writeFile(path.join(directory, "node_modules", "x.js"), "");
    const report = await initGitRepository(directory, { files, env: { ...isolatedGit, PATH: process.env.PATH } });
    assert.deepEqual(report, { initialized: true, committed: true, note: undefined, warning: false });
    assert.equal(git(directory, "log", "--format=%s").stdout.trim(), INITIAL_COMMIT_MESSAGE);
    const tracked = git(directory, "ls-files").stdout.trim().split("\n").sort();
    assert.deepEqual(tracked, [".gitignore", "package-lock.json", "package.json", "src/index.ts"]);
  });

  it("ignores GIT_DIR and friends pointing at another repository", async () => {
    const other = await packageDir("other-repo");
    git(other.directory, "init", "-q");
    const { directory, files } = await packageDir("with-git-dir");
    const env = { ...isolatedGit, PATH: process.env.PATH, GIT_DIR: path.join(other.directory, ".git"), GIT_WORK_TREE: other.directory };
    const report = await initGitRepository(directory, { files, env });
    assert.equal(report.committed, true);
    assert.ok(existsSync(path.join(directory, ".git")));
    assert.notEqual(git(other.directory, "rev-parse", "--verify", "-q", "HEAD").status, 0, "the other repository has no commit");
  });

  it("leaves an enclosing repository alone", async () => {
    const outer = await packageDir("outer");
    git(outer.directory, "init", "-q");
    const { directory, files } = await packageDir("outer/inner");
    const report = await initGitRepository(directory, { files, env: { ...isolatedGit, PATH: process.env.PATH } });
    assert.equal(report.initialized, false);
    assert.equal(report.committed, false);
    assert.equal(report.warning, false);
    assert.match(report.note ?? "", /inside the git repository at .*outer/);
    assert.ok(!existsSync(path.join(directory, ".git")));
    assert.equal(git(outer.directory, "status", "--porcelain").stdout.includes("A "), false, "nothing staged in the outer repository");
  });

  it("skips the commit, with a note, when no identity is configured", async () => {
    const empty = path.join(root, "empty-gitconfig");
    await writeFile(empty, "");
    const { directory, files } = await packageDir("anonymous");
    const report = await initGitRepository(directory, {
      files,
      env: { GIT_CONFIG_GLOBAL: empty, GIT_CONFIG_NOSYSTEM: "1", HOME: root, PATH: process.env.PATH },
    });
    assert.equal(report.initialized, true);
    assert.equal(report.committed, false);
    assert.match(report.note ?? "", /user\.name\/user\.email are not set/);
    assert.ok(existsSync(path.join(directory, ".git")));
  });

  it("starts on main without init.defaultBranch, on a git with --initial-branch and on one without", async () => {
    const empty = path.join(root, "bare-gitconfig");
    await writeFile(empty, "");
    const env = {
      GIT_CONFIG_GLOBAL: empty,
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: root,
      PATH: process.env.PATH,
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@example.com",
    };
    // The real git, and the same git answering `--version` as 2.27 would (before --initial-branch).
    const oldGit: Runner = (line, options) =>
      line.args[0] === "--version"
        ? Promise.resolve({
            command: "git --version",
            ok: true,
            exitCode: 0,
            failure: undefined,
            stdout: "git version 2.27.0",
            output: "git version 2.27.0",
          } as Awaited<ReturnType<Runner>>)
        : runCommand(line, options);
    for (const [name, run] of [
      ["current-git", runCommand],
      ["old-git", oldGit],
    ] as const) {
      const { directory, files } = await packageDir(name);
      const report = await initGitRepository(directory, { files, env, run });
      assert.equal(report.committed, true, report.note);
      const branch = spawnSync("git", ["symbolic-ref", "--short", "HEAD"], { cwd: directory, encoding: "utf8", env });
      assert.equal(branch.stdout.trim(), "main", name);
    }
  });

  it("reads which gits have --initial-branch", () => {
    assert.equal(supportsInitialBranch("git version 2.28.0"), true);
    assert.equal(supportsInitialBranch("git version 2.39.5 (Apple Git-154)"), true);
    assert.equal(supportsInitialBranch("git version 3.0.1"), true);
    assert.equal(supportsInitialBranch("git version 2.27.1"), false);
    assert.equal(supportsInitialBranch("git version 1.9.5.windows.1"), false);
    assert.equal(supportsInitialBranch("unexpected"), false);
  });

  it("warns, without failing, when git is not on PATH", async () => {
    const { directory, files } = await packageDir("no-git");
    const report = await initGitRepository(directory, { files, env: { PATH: path.join(root, "empty-bin") } });
    assert.deepEqual(report, {
      initialized: false,
      committed: false,
      note: "git was not found on PATH, so no repository was created.",
      warning: true,
    });
  });

  it("commits even when the user's hooks would refuse", async () => {
    const templateDir = path.join(root, "git-template");
    await mkdir(path.join(templateDir, "hooks"), { recursive: true });
    await writeFile(path.join(templateDir, "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const config = path.join(root, "gitconfig-hooks");
    await writeFile(config, `[user]\n\tname = T\n\temail = t@example.com\n[init]\n\ttemplateDir = ${templateDir}\n[commit]\n\tgpgsign = true\n`);
    const { directory, files } = await packageDir("hooked");
    const report = await initGitRepository(directory, {
      files,
      env: { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1", HOME: root, PATH: process.env.PATH },
    });
    assert.equal(report.committed, true, report.note);
  });
});
