/** runCommand (the one place that spawns), the install and git steps built on it, and progress output. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { gitEnvironment, initGitRepository, INITIAL_COMMIT_MESSAGE } from "../../src/git.js";
import { describeInstallFailure, installDependencies, installEnvironment } from "../../src/install.js";
import { runCommand, type RunOptions, type RunResult } from "../../src/run-command.js";
import type { CommandLine } from "../../src/package-manager.js";
import { palette } from "../../src/output.js";
import { startProgress } from "../../src/progress.js";

const node = (script: string): CommandLine => ({ command: process.execPath, args: ["-e", script] });

let root: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cm-install-"));
});
after(() => rm(root, { recursive: true, force: true }));

describe("runCommand", () => {
  it("captures stdout and the interleaved output, with stdin closed", async () => {
    const result = await runCommand(node("process.stdout.write('out\\n'); process.stderr.write('err\\n'); process.stdin.on('data', () => {}).on('end', () => console.log('stdin closed'))"), {
      cwd: root,
    });
    assert.equal(result.ok, true);
    assert.equal(result.exitCode, 0);
    assert.equal(result.failure, undefined);
    assert.match(result.stdout, /^out\nstdin closed$/);
    assert.match(result.output, /out\n(err\n)?.*/s);
    assert.ok(result.output.includes("err"));
    assert.ok(result.durationMs >= 0);
  });

  it("reports a failing command without throwing", async () => {
    const result = await runCommand(node("console.error('boom'); process.exit(3)"), { cwd: root });
    assert.equal(result.ok, false);
    assert.equal(result.exitCode, 3);
    assert.equal(result.failure, "failed");
    assert.match(result.output, /boom/);
  });

  it("says when the program is not on PATH", async () => {
    const result = await runCommand({ command: "create-middleware-no-such-program", args: ["install"] }, { cwd: root });
    assert.equal(result.ok, false);
    assert.equal(result.failure, "not-found");
    assert.equal(result.command, "create-middleware-no-such-program install");
  });

  it("stops the child when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const result = await runCommand(node("setTimeout(() => {}, 60_000)"), { cwd: root, signal: controller.signal });
    assert.equal(result.ok, false);
    assert.equal(result.failure, "stopped");
    assert.ok(Date.now() - started < 10_000);
  });

  it("uses exactly the environment given, when one is given", async () => {
    const result = await runCommand(node("console.log(JSON.stringify([process.env.ONLY_THIS, process.env.HOME ?? null]))"), {
      cwd: root,
      env: { ONLY_THIS: "yes", PATH: process.env.PATH },
    });
    assert.deepEqual(JSON.parse(result.stdout), ["yes", null]);
  });
});

describe("installDependencies", () => {
  const fake =
    (result: Partial<RunResult>, seen: Array<{ line: CommandLine; options: RunOptions }>) =>
    async (line: CommandLine, options: RunOptions): Promise<RunResult> => {
      seen.push({ line, options });
      return { command: "x", ok: true, exitCode: 0, failure: undefined, stdout: "", output: "", durationMs: 1234, ...result };
    };

  it("runs the manager's install in the package directory, devDependencies included", async () => {
    const seen: Array<{ line: CommandLine; options: RunOptions }> = [];
    const report = await installDependencies("/pkg", "pnpm", { run: fake({ command: "pnpm install" }, seen) });
    assert.deepEqual(seen[0]?.line, { command: "pnpm", args: ["install"] });
    assert.equal(seen[0]?.options.cwd, "/pkg");
    assert.equal(seen[0]?.options.env?.NODE_ENV, "development");
    assert.deepEqual(report, { command: "pnpm install", ok: true, durationMs: 1234, exitCode: 0, failure: undefined, outputTail: [] });
  });

  it("keeps the tail of the output when the install fails", async () => {
    const output = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join("\n");
    const report = await installDependencies("/pkg", "npm", {
      run: fake({ command: "npm install", ok: false, exitCode: 1, failure: "failed", output }, []),
    });
    assert.equal(report.ok, false);
    assert.equal(report.outputTail.length, 15);
    assert.equal(report.outputTail.at(-1), "line 30");
  });

  it("overrides NODE_ENV=production, which would skip devDependencies", () => {
    assert.equal(installEnvironment({ NODE_ENV: "production", PATH: "/bin" }).NODE_ENV, "development");
    assert.equal(installEnvironment({ PATH: "/bin" }).PATH, "/bin");
  });
});

describe("describeInstallFailure", () => {
  const base = { command: "npm install", ok: false, durationMs: 900, exitCode: 1, failure: "failed" as const, outputTail: ["npm error code ECONNREFUSED"] };

  it("shows the manager's last lines, that the files stay, and the exact retry command", () => {
    const message = describeInstallFailure(base, "npm", "./my-logger");
    assert.match(message, /npm install failed \(exited with code 1\)/);
    assert.match(message, /^ {2}npm error code ECONNREFUSED$/m);
    assert.match(message, /files are in \.\/my-logger; nothing was removed/);
    assert.match(message, /To retry: cd \.\/my-logger && npm install$/);
  });

  it("names a missing package manager and how to get one", () => {
    const message = describeInstallFailure({ ...base, command: "pnpm install", failure: "not-found", exitCode: undefined, outputTail: [] }, "pnpm", "./x");
    assert.match(message, /pnpm was not found on PATH/);
    assert.match(message, /pnpm\.io\/installation/);
    assert.match(message, /--pm/);
    assert.match(message, /To retry: cd \.\/x && pnpm install/);
  });
});

describe("startProgress", () => {
  class Capture extends Writable {
    text = "";
    isTTY: boolean;
    constructor(tty: boolean) {
      super();
      this.isTTY = tty;
    }
    override _write(chunk: Buffer, _encoding: string, done: () => void) {
      this.text += chunk.toString();
      done();
    }
  }

  it("writes a start line and the caller's end line when not on a TTY", () => {
    const stream = new Capture(false);
    let clock = 0;
    const progress = startProgress("Installing dependencies with npm", { stream, now: () => clock });
    clock = 12_345;
    assert.equal(progress.elapsed(), 12_345);
    progress.stop("Installed dependencies in 12.3s");
    progress.stop("again");
    assert.equal(stream.text, "Installing dependencies with npm...\nInstalled dependencies in 12.3s\n");
  });

  it("redraws one line with the elapsed time on a TTY, and clears it at the end", async () => {
    const stream = new Capture(true);
    const progress = startProgress("Installing dependencies with npm", { stream, intervalMs: 10, colors: palette() });
    await new Promise((resolve) => setTimeout(resolve, 60));
    progress.stop("done");
    const draws = stream.text.split("\r\u001b[2K").filter(Boolean);
    assert.ok(draws.length >= 3, `redrawn several times: ${JSON.stringify(stream.text)}`);
    assert.match(draws[0] ?? "", /^. Installing dependencies with npm\.\.\. \d+\.\ds$/);
    assert.ok(stream.text.endsWith("\r\u001b[2Kdone\n"));
    assert.ok(!stream.text.includes("\n") || stream.text.indexOf("\n") === stream.text.length - 1, "one line only");
  });
});

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
    const report = await initGitRepository(directory, { files, env: { GIT_CONFIG_GLOBAL: empty, GIT_CONFIG_NOSYSTEM: "1", HOME: root, PATH: process.env.PATH } });
    assert.equal(report.initialized, true);
    assert.equal(report.committed, false);
    assert.match(report.note ?? "", /user\.name\/user\.email are not set/);
    assert.ok(existsSync(path.join(directory, ".git")));
  });

  it("warns, without failing, when git is not on PATH", async () => {
    const { directory, files } = await packageDir("no-git");
    const report = await initGitRepository(directory, { files, env: { PATH: path.join(root, "empty-bin") } });
    assert.deepEqual(report, { initialized: false, committed: false, note: "git was not found on PATH, so no repository was created.", warning: true });
  });

  it("commits even when the user's hooks would refuse", async () => {
    const templateDir = path.join(root, "git-template");
    await mkdir(path.join(templateDir, "hooks"), { recursive: true });
    await writeFile(path.join(templateDir, "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const config = path.join(root, "gitconfig-hooks");
    await writeFile(config, `[user]\n\tname = T\n\temail = t@example.com\n[init]\n\ttemplateDir = ${templateDir}\n[commit]\n\tgpgsign = true\n`);
    const { directory, files } = await packageDir("hooked");
    const report = await initGitRepository(directory, { files, env: { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1", HOME: root, PATH: process.env.PATH } });
    assert.equal(report.committed, true, report.note);
  });
});
