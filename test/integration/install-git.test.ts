/**
 * The built CLI's install and git steps, spawned with no TTY: one real npm install, a forced install failure
 * (a registry on a closed port), Ctrl-C during an install, and the git cases. Git runs against a throwaway
 * global config (GIT_CONFIG_GLOBAL), so the user's identity and hooks never leak in.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let gitEnv: NodeJS.ProcessEnv;
let anonymousGitEnv: NodeJS.ProcessEnv;

before(async () => {
  work = await tempDir("cm-install-git-");
  const config = path.join(work.path, "gitconfig");
  await writeFile(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
  const empty = path.join(work.path, "gitconfig-empty");
  await writeFile(empty, "[init]\n\tdefaultBranch = main\n");
  gitEnv = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" };
  anonymousGitEnv = {
    GIT_CONFIG_GLOBAL: empty,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    EMAIL: undefined,
  };
});
after(() => work.remove());

const git = (cwd: string, ...args: string[]) =>
  spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...gitEnv, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** npm pointed at a registry that refuses connections, failing fast. */
const deadRegistry = (port: number): NodeJS.ProcessEnv => ({
  npm_config_registry: `http://127.0.0.1:${port}/`,
  npm_config_fetch_retries: "0",
  npm_config_fetch_timeout: "5000",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
});

/** A folder whose PATH holds only node (and git, when asked): a machine without pnpm, or without git. */
async function restrictedPath(name: string, withGit: boolean): Promise<string> {
  const bin = path.join(work.path, name);
  await mkdir(bin, { recursive: true });
  await symlink(process.execPath, path.join(bin, "node"));
  if (withGit) {
    const gitPath = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
    await symlink(gitPath, path.join(bin, "git"));
  }
  return bin;
}

describe("a finished project in one command", () => {
  it("installs with npm, commits once, and prints the next steps (real install)", { timeout: 300_000 }, async () => {
    const result = await runCli(["real-install", "--target", "express", "--yes"], {
      cwd: work.path,
      env: gitEnv,
      timeoutMs: 280_000,
    });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const directory = path.join(work.path, "real-install");
    assert.ok(existsSync(path.join(directory, "node_modules")), "node_modules exists");
    assert.ok(existsSync(path.join(directory, "package-lock.json")), "the lockfile was written");

    const log = git(directory, "log", "--oneline");
    assert.equal(log.status, 0, log.stderr);
    const commits = log.stdout.trim().split("\n");
    assert.equal(commits.length, 1, log.stdout);
    assert.match(commits[0] ?? "", /Initial commit from create-middleware/);
    const tracked = git(directory, "ls-files").stdout;
    assert.match(tracked, /^package\.json$/m);
    assert.match(tracked, /^package-lock\.json$/m);
    assert.doesNotMatch(tracked, /node_modules/);
    assert.equal(git(directory, "status", "--porcelain").stdout, "", "the work tree is clean after the commit");

    // No TTY: a start line and an end line with the duration, then next steps without the install.
    assert.match(result.stdout, /^Installing dependencies with npm\.\.\.$/m);
    assert.match(result.stdout, /^Installed dependencies in \d+(\.\d)?m?s$/m);
    assert.match(result.stdout, /Created a git repository with an initial commit/);
    assert.match(result.stdout, /Next steps:\n\s+cd \.\/real-install\n\s+npm test\n\s+npm run example\n/);
    assert.doesNotMatch(result.stdout, /\u001b\[/, "no colour without a TTY");
  });
});

describe("an install that fails", () => {
  it("keeps the files, shows npm's last lines and the retry command, and exits 1", { timeout: 120_000 }, async () => {
    const port = await closedPort();
    const result = await runCli(["offline", "--yes"], { cwd: work.path, env: { ...gitEnv, ...deadRegistry(port) }, timeoutMs: 110_000 });
    assert.equal(result.code, 1, result.stderr);
    const directory = path.join(work.path, "offline");
    for (const file of ["package.json", "src/index.ts", "README.md", ".gitignore"]) {
      assert.ok(existsSync(path.join(directory, file)), `${file} was kept`);
    }
    assert.match(result.stdout, /Installing dependencies with npm\.\.\./);
    assert.match(result.stdout, /Installing dependencies failed after/);
    assert.match(result.stderr, /npm install failed \(exited with code \d+\)/);
    assert.match(result.stderr, /ECONNREFUSED/, "npm's own words are shown");
    assert.match(result.stderr, /nothing was removed/);
    assert.match(result.stderr, /To retry: cd \.\/offline && npm install$/m);
    // Git is independent of the install: the files are committed anyway.
    assert.equal(git(directory, "log", "--oneline").stdout.trim().split("\n").length, 1);
  });

  it("with --json: the report on stdout says what ran, that it failed and how long it took", { timeout: 120_000 }, async () => {
    const port = await closedPort();
    const result = await runCli(["offline-json", "--yes", "--json", "--no-git"], {
      cwd: work.path,
      env: { ...gitEnv, ...deadRegistry(port) },
      timeoutMs: 110_000,
    });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      install: { command: string; ok: boolean; durationMs: number };
      git: unknown;
    };
    assert.equal(report.ok, false);
    assert.equal(report.install.command, "npm install");
    assert.equal(report.install.ok, false);
    assert.equal(typeof report.install.durationMs, "number");
    assert.equal(report.git, null);
    // Human lines went to stderr.
    assert.match(result.stderr, /Installing dependencies with npm\.\.\./);
    assert.match(result.stderr, /To retry: cd \.\/offline-json && npm install/);
  });

  it("names a package manager that is not installed, keeps the files, and exits 1", async () => {
    const bin = await restrictedPath("bin-node-git", true);
    const result = await runCli(["no-pnpm", "--yes", "--pm", "pnpm", "--no-git"], { cwd: work.path, env: { PATH: bin } });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /pnpm was not found on PATH/);
    assert.match(result.stderr, /--pm/);
    assert.match(result.stderr, /To retry: cd \.\/no-pnpm && pnpm install/);
    assert.ok(existsSync(path.join(work.path, "no-pnpm", "package.json")));
  });
});

describe("Ctrl-C during the install", () => {
  it("stops npm, keeps the files, says how to finish, and exits 130", { timeout: 60_000 }, async () => {
    // A registry that accepts connections and never answers: npm waits until it is stopped.
    const sockets = new Set<net.Socket>();
    const registry = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    const { port } = registry.address() as net.AddressInfo;
    try {
      const child = spawn(process.execPath, [BIN, "stopped", "--yes"], {
        cwd: work.path,
        env: {
          ...process.env,
          npm_config_user_agent: undefined,
          NO_COLOR: undefined,
          ...gitEnv,
          ...deadRegistry(port),
          npm_config_fetch_timeout: "600000",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
      const installing = new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes("Installing dependencies")) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      await installing;
      // Let npm start and reach the registry.
      const deadline = Date.now() + 15_000;
      while (sockets.size === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      child.kill("SIGINT");
      const code = await exited;

      assert.equal(code, 130, stderr);
      const directory = path.join(work.path, "stopped");
      assert.ok(existsSync(path.join(directory, "package.json")), "the files stay");
      assert.match(stderr, /Stopped npm install before it finished/);
      assert.match(stderr, /files are in \.\/stopped/);
      assert.match(stderr, /To finish: cd \.\/stopped && npm install && git init/);
      assert.match(stderr, /Interrupted\./);
      assert.ok(!existsSync(path.join(directory, ".git")), "git did not run after the interrupt");

      // npm itself was stopped: no process is left working in the package directory (Linux can tell).
      if (existsSync("/proc/self/cwd")) {
        const stillThere = () =>
          readdirSync("/proc")
            .filter((entry) => /^\d+$/.test(entry))
            .filter((pid) => {
              try {
                return readlinkSync(`/proc/${pid}/cwd`) === directory;
              } catch {
                return false;
              }
            });
        const until = Date.now() + 5_000;
        while (stillThere().length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(stillThere(), [], "no npm process survives");
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => registry.close(() => resolve()));
    }
  });
});

describe("git", () => {
  const QUICK = ["--yes", "--no-install"];

  it("--no-git creates no repository and the next steps include the install", async () => {
    const result = await runCli(["no-git", ...QUICK, "--no-git"], { cwd: work.path, env: gitEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!existsSync(path.join(work.path, "no-git", ".git")));
    assert.doesNotMatch(result.stdout + result.stderr, /git repository/);
    assert.match(result.stdout, /Next steps:\n\s+cd \.\/no-git\n\s+npm install\n\s+npm test\n\s+npm run example/);
    assert.match(result.stdout, /Commit package-lock\.json once the install has written it: CI runs npm ci, which needs it\./);
  });

  it("with stock git (no config at all, identity from the environment): the commit is on main, where CI runs on push", async () => {
    const bare = path.join(work.path, "gitconfig-bare");
    await writeFile(bare, "");
    const identity = {
      GIT_AUTHOR_NAME: "Env Person",
      GIT_AUTHOR_EMAIL: "env@example.com",
      GIT_COMMITTER_NAME: "Env Person",
      GIT_COMMITTER_EMAIL: "env@example.com",
    };
    const env = { GIT_CONFIG_GLOBAL: bare, GIT_CONFIG_NOSYSTEM: "1", ...identity };
    const result = await runCli(["stock-git", ...QUICK], { cwd: work.path, env });
    assert.equal(result.code, 0, result.stderr);
    const directory = path.join(work.path, "stock-git");
    const bareGit = (...args: string[]) => spawnSync("git", args, { cwd: directory, encoding: "utf8", env: { ...process.env, ...env } });
    assert.equal(bareGit("symbolic-ref", "--short", "HEAD").stdout.trim(), "main");
    assert.equal(bareGit("log", "--format=%s", "main").stdout.trim().split("\n").length, 1, "one commit on main");
    // --no-install: the initial commit has no lockfile; the next steps say to commit it.
    assert.match(result.stdout, /npm install\n\s+git add package-lock\.json && git commit -m 'Add package-lock\.json'\n/);
    const workflow = readFileSync(path.join(directory, ".github", "workflows", "ci.yml"), "utf8");
    assert.match(workflow, /push:\n\s+branches: \[main\]/, "the workflow's push trigger names the branch the repository is on");
  });

  it("inside an existing repository: leaves it alone, with a note, and succeeds", async () => {
    const outer = path.join(work.path, "outer-repo");
    await mkdir(outer);
    git(outer, "init", "-q");
    await writeFile(path.join(outer, "README.md"), "outer\n");
    git(outer, "add", "README.md");
    git(outer, "commit", "-q", "-m", "outer commit");

    for (const flags of [[], ["--git"]]) {
      const name = `inner${flags.length}`;
      const result = await runCli([name, ...QUICK, ...flags], { cwd: outer, env: gitEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /note: the directory is inside the git repository at .*outer-repo/);
      assert.ok(!existsSync(path.join(outer, name, ".git")), "no nested repository");
    }
    assert.equal(git(outer, "log", "--oneline").stdout.trim().split("\n").length, 1, "the enclosing repository has no new commit");
    assert.equal(git(outer, "diff", "--cached", "--name-only").stdout, "", "nothing staged in the enclosing repository");
  });

  it("without a user identity: initialises, skips the commit with a one-line note, and succeeds", async () => {
    const result = await runCli(["anonymous", ...QUICK], { cwd: work.path, env: anonymousGitEnv });
    assert.equal(result.code, 0, result.stderr);
    const directory = path.join(work.path, "anonymous");
    assert.ok(existsSync(path.join(directory, ".git")));
    assert.notEqual(git(directory, "rev-parse", "--verify", "-q", "HEAD").status, 0, "no commit");
    const notes = result.stdout.split("\n").filter((line) => line.includes("initial commit was skipped"));
    assert.equal(notes.length, 1, result.stdout);
  });

  it("git missing from PATH: a warning, and the rest succeeds", async () => {
    const bin = await restrictedPath("bin-node-only", false);
    const result = await runCli(["gitless", ...QUICK], { cwd: work.path, env: { PATH: bin } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /warning: git was not found on PATH/);
    assert.ok(existsSync(path.join(work.path, "gitless", "package.json")));
    assert.ok(!existsSync(path.join(work.path, "gitless", ".git")));
  });

  it("--json reports the git step", async () => {
    const result = await runCli(["json-git", ...QUICK, "--json"], { cwd: work.path, env: gitEnv });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; install: unknown; git: unknown };
    assert.equal(report.ok, true);
    assert.equal(report.install, null);
    assert.deepEqual(report.git, { initialized: true, committed: true, note: null });
  });
});
