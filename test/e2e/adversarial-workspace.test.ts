/**
 * Monorepos given bad or hostile input (src/workspace/): each row sets up a repository, runs the built CLI,
 * and checks the exit code, the message (naming the problem and the fix), and that nothing was written:
 * the whole sandbox (the repository and a folder outside it) is hashed before and after. No installs.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const QUICK = ["--yes", "--no-install"];

function snapshot(directory: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.name === ".git" && entry.isDirectory()) continue;
      const info = lstatSync(full);
      if (info.isSymbolicLink()) out.set(full, `link:${readlinkSync(full)}`);
      else if (info.isDirectory()) walk(full);
      else if (!info.isFile())
        out.set(full, "special"); // a FIFO a row made: reading it would block
      else out.set(full, createHash("sha256").update(readFileSync(full)).digest("hex"));
    }
  };
  walk(directory);
  return out;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=T", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "ignore" });
}

/** A named pipe in `folder`: opening it to read blocks until a writer comes, which never does. */
function fifo(folder: string): string {
  const file = path.join(folder, "pipe");
  execFileSync("mkfifo", [file]);
  return file;
}

interface Row {
  name: string;
  files: Record<string, string>;
  /** Extra setup after the files (links); gets the repository and the outside folder. */
  setup?: (repo: string, outside: string) => void;
  /** Files changed after the commit, so they are uncommitted. */
  edit?: Record<string, string>;
  args: string[];
  /** The folder the CLI runs in, relative to the repository. */
  cwd?: string;
  code: number;
  message: RegExp;
}

const NPM_ROOT = JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] });
/** One byte over the size cap for files read from a user's tree (read-user-file.ts). */
const OVER_CAP = 16 * 1024 * 1024 + 1;

const ROWS: Row[] = [
  {
    name: "a pnpm-workspace.yaml that does not parse: usage error naming it",
    files: { "package.json": "{}", "pnpm-workspace.yaml": "packages:\n  - 'packages/*\n  oops: [\n" },
    args: ["rl", ...QUICK],
    code: 2,
    message: /pnpm-workspace\.yaml is not valid YAML .*Fix it, or pass --no-workspace/,
  },
  {
    name: "a root package.json that does not parse: usage error naming it",
    files: { "package.json": '{ "workspaces": ["packages/*"' },
    args: ["packages/rl", ...QUICK],
    cwd: ".",
    code: 2,
    message: /package\.json is not valid JSON/,
  },
  {
    name: "a folder outside the globs: usage error naming the glob to add",
    files: { "package.json": NPM_ROOT },
    args: ["libs/rl", ...QUICK],
    code: 2,
    message: /no glob in package\.json \("workspaces"\) \(packages\/\*\) matches libs\/rl\. Add "libs\/\*" to package\.json \("workspaces"\)/,
  },
  {
    name: "--pm naming another manager than the workspace's: usage error",
    files: { "package.json": "{}", "pnpm-workspace.yaml": "packages: ['packages/*']\n" },
    args: ["rl", "--pm", "npm", ...QUICK],
    code: 2,
    message: /uses pnpm.*Drop --pm, or pass --no-workspace/,
  },
  {
    name: "a root file we would merge into has uncommitted changes: refused, nothing written",
    files: { "package.json": NPM_ROOT, ".github/dependabot.yml": "version: 2\nupdates:\n" },
    edit: { ".github/dependabot.yml": "version: 2\n# mine, not committed\nupdates:\n" },
    args: ["rl", ...QUICK],
    code: 1,
    message: /uncommitted changes \(\.github\/dependabot\.yml\).*or pass --force\. Nothing was written/,
  },
  {
    name: "a workflow of ours exists with other contents: never overwritten, even with --force",
    files: { "package.json": NPM_ROOT, ".github/workflows/rl-ci.yml": "name: mine\n" },
    args: ["rl", "--force", ...QUICK],
    code: 1,
    message: /\.github\/workflows\/rl-ci\.yml: it exists with other contents; it is never overwritten/,
  },
  {
    name: "the packages folder is a link leading out of the repository: nothing written outside it",
    files: { "package.json": NPM_ROOT },
    setup: (repo, outside) => symlinkSync(outside, path.join(repo, "packages")),
    args: ["rl", ...QUICK],
    code: 1,
    message: /leads out of the repository/,
  },
  {
    name: "the root's .github is a link leading out of the repository: refused before anything is written",
    files: { "package.json": NPM_ROOT },
    setup: (repo, outside) => symlinkSync(outside, path.join(repo, ".github")),
    args: ["rl", ...QUICK],
    code: 1,
    message: /Refusing to write \.github\/workflows\/rl-ci\.yml: \.github leads outside/,
  },
  {
    // A cloned repository may hold links to devices and pipes: /dev/zero read whole exhausts memory (16 GB in
    // 8 s, measured), a FIFO blocks for good. The rows link to a FIFO so the old code hangs instead of eating
    // the machine's memory; the refusal (fstat on the opened file) is the same for both.
    name: "pnpm-workspace.yaml is a link to a FIFO: refused by name, not read",
    files: { "package.json": "{}" },
    setup: (repo, outside) => symlinkSync(fifo(outside), path.join(repo, "pnpm-workspace.yaml")),
    args: ["rl", ...QUICK],
    code: 2,
    message: /pnpm-workspace\.yaml is not a regular file .*Remove it or replace it with a file\. Or pass --no-workspace/,
  },
  {
    name: "a package.json above the folder is a link to a FIFO: refused by name, not read",
    files: { "packages/.keep": "" },
    setup: (repo, outside) => symlinkSync(fifo(outside), path.join(repo, "package.json")),
    args: ["rl", ...QUICK],
    cwd: "packages",
    code: 2,
    message: /package\.json is not a regular file .*Remove it or replace it with a file\. Or pass --no-workspace/,
  },
  // A cloned repository's root files are read whole only under the size cap (read-user-file.ts): a 3 GB one
  // would exhaust memory. The rows grow them past 16 MB as sparse files (nothing written to disk).
  {
    name: "a root package.json over 16 MB: refused by name, not read",
    files: { "package.json": NPM_ROOT },
    setup: (repo) => truncateSync(path.join(repo, "package.json"), OVER_CAP),
    args: ["rl", ...QUICK],
    code: 2,
    message: /package\.json is larger than 16 MB .*Or pass --no-workspace/,
  },
  {
    name: "a pnpm-workspace.yaml over 16 MB: refused by name, not read",
    files: { "package.json": "{}", "pnpm-workspace.yaml": "packages: ['packages/*']\n" },
    setup: (repo) => truncateSync(path.join(repo, "pnpm-workspace.yaml"), OVER_CAP),
    args: ["rl", ...QUICK],
    code: 2,
    message: /pnpm-workspace\.yaml is larger than 16 MB .*Or pass --no-workspace/,
  },
  {
    name: "the root's .github/dependabot.yml over 16 MB: refused by name, not read, nothing written",
    files: { "package.json": NPM_ROOT, ".github/dependabot.yml": "version: 2\nupdates:\n" },
    setup: (repo) => truncateSync(path.join(repo, ".github", "dependabot.yml"), OVER_CAP),
    args: ["rl", ...QUICK],
    code: 2,
    message: /\.github\/dependabot\.yml is larger than 16 MB .*Or pass --no-workspace/,
  },
  {
    // A cloned repository's globs are untrusted: ".git/hooks/*" would put the package inside git's own folder.
    name: "a workspace glob leading into .git: refused, nothing written there",
    files: { "package.json": JSON.stringify({ name: "root", private: true, workspaces: [".git/hooks/*"] }) },
    args: ["rl", ...QUICK],
    code: 2,
    message: /\.git\/hooks\/rl is inside \.git.*Fix the globs in package\.json \("workspaces"\), or pass --no-workspace/,
  },
  {
    name: "the packages folder is a link into .git: refused, nothing written there",
    files: { "package.json": NPM_ROOT },
    setup: (repo) => symlinkSync(".git", path.join(repo, "packages")),
    args: ["rl", ...QUICK],
    code: 1,
    message: /packages\/rl leads into \.git .*Choose a folder outside it/,
  },
  {
    // GitHub evaluates ${{ }} in a `run:` line before the shell sees it, quoting or not: a pull request's
    // title would run as a script in the repository's CI.
    name: "a workspace glob holding a ${{ }} expression: refused, never written into a workflow",
    files: { "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["x${{ github.event.pull_request.title }}/*"] }) },
    args: ["rl", ...QUICK],
    code: 2,
    message:
      /x\$\{\{ github\.event\.pull_request\.title \}\}\/rl cannot be written into the root's GitHub workflows.*Rename the folder.*or pass --no-workspace/,
  },
  {
    name: 'a member folder YAML would misread (": ", " #"): refused, never written into a workflow',
    files: { "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["libs/*"] }) },
    args: ["libs/a: b #c", "--name", "rl", ...QUICK],
    code: 2,
    message: /libs\/a: b #c cannot be written into the root's GitHub workflows/,
  },
];

describe("monorepo bad input", () => {
  let sandbox: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    sandbox = await tempDir("cm-ws-adv-");
  });
  after(() => sandbox.remove());

  ROWS.forEach((row, index) => {
    it(row.name, async () => {
      const base = path.join(sandbox.path, `row${index}`);
      const repo = path.join(base, "repo");
      const outside = path.join(base, "outside");
      mkdirSync(outside, { recursive: true });
      writeFileSync(path.join(outside, "dependabot.yml"), "mine\n");
      for (const [file, text] of Object.entries(row.files)) {
        mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        writeFileSync(path.join(repo, file), text);
      }
      row.setup?.(repo, outside);
      git(repo, "init", "-q");
      git(repo, "add", "-A");
      git(repo, "commit", "-qm", "root");
      for (const [file, text] of Object.entries(row.edit ?? {})) writeFileSync(path.join(repo, file), text);
      const before = snapshot(base);
      const result = await runCli(row.args, { cwd: path.join(repo, row.cwd ?? ".") });
      assert.equal(result.code, row.code, result.stderr + result.stdout);
      assert.match(result.stderr.replace(/\n/g, " "), row.message);
      assert.doesNotMatch(result.stderr, /Unexpected error|\n\s+at /);
      assert.deepEqual(snapshot(base), before, "nothing written");
    });
  });
});

describe("monorepo members a hostile repository holds", () => {
  it("a member's package.json linked to a FIFO is passed by when the scope is looked for, not read", async () => {
    const sandbox = await tempDir("cm-ws-member-");
    try {
      const repo = path.join(sandbox.path, "repo");
      mkdirSync(path.join(repo, "packages", "a"), { recursive: true });
      mkdirSync(path.join(repo, "packages", "b"), { recursive: true });
      writeFileSync(path.join(repo, "package.json"), NPM_ROOT);
      writeFileSync(path.join(repo, "packages", "b", "package.json"), JSON.stringify({ name: "@acme/b" }));
      symlinkSync(fifo(sandbox.path), path.join(repo, "packages", "a", "package.json"));
      const result = await runCli(["rl", "--dry-run", ...QUICK], { cwd: repo, timeoutMs: 15_000 });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /@acme\/rl/, "the scope comes from the member that can be read");
      assert.equal(existsSync(path.join(repo, "packages", "rl")), false);
    } finally {
      await sandbox.remove();
    }
  });
});

describe("monorepo globs a hostile repository holds", () => {
  it("a glob with many wildcards beside a long folder name does not backtrack for minutes", async () => {
    const sandbox = await tempDir("cm-ws-glob-");
    try {
      const repo = path.join(sandbox.path, "repo");
      // As a regular expression, a*a*…b against 60 a's takes ~C(60, 12) steps: hours of CPU.
      mkdirSync(path.join(repo, "a".repeat(60)), { recursive: true });
      mkdirSync(path.join(repo, "packages", "b"), { recursive: true });
      writeFileSync(
        path.join(repo, "package.json"),
        JSON.stringify({ name: "root", private: true, workspaces: ["packages/*", `${"a*".repeat(12)}b`] }),
      );
      writeFileSync(path.join(repo, "packages", "b", "package.json"), JSON.stringify({ name: "@acme/b" }));
      const result = await runCli(["rl", "--dry-run", ...QUICK], { cwd: repo, timeoutMs: 15_000 });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /@acme\/rl/);
    } finally {
      await sandbox.remove();
    }
  });
});

describe("monorepo globs leading out of the repository", () => {
  it("outdated at the root never looks at folders outside the repository (a glob such as ../*)", async () => {
    const sandbox = await tempDir("cm-ws-out-");
    try {
      const repo = path.join(sandbox.path, "repo");
      mkdirSync(repo, { recursive: true });
      mkdirSync(path.join(sandbox.path, "victim"), { recursive: true });
      writeFileSync(path.join(sandbox.path, "victim", ".create-middleware.json"), "{}\n");
      writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "root", private: true, workspaces: ["../*", "/tmp/*"] }));
      const result = await runCli(["outdated", "--offline"], { cwd: repo, timeoutMs: 15_000 });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.doesNotMatch(result.stdout + result.stderr, /victim/);
      assert.match(result.stdout + result.stderr, /No package in the workspace/);
    } finally {
      await sandbox.remove();
    }
  });
});

describe("monorepo members behind symbolic links leading out of the repository", () => {
  // update --pull-request --all writes into every member it lists; a link is never followed to find one,
  // as the walk below a members folder never follows one (a glob's fixed part is walked the same way).
  for (const [what, globs, link] of [
    ["a members folder (packages -> ../outside)", ["packages/*"], "packages"],
    ["a glob's fixed part (apps/web, apps -> ../outside)", ["apps/web"], "apps"],
  ] as const) {
    it(`outdated at the root lists no member through ${what}`, async () => {
      const sandbox = await tempDir("cm-ws-link-");
      try {
        const repo = path.join(sandbox.path, "repo");
        const outside = path.join(sandbox.path, "outside");
        mkdirSync(repo, { recursive: true });
        mkdirSync(path.join(outside, "evil"), { recursive: true });
        mkdirSync(path.join(outside, "web"), { recursive: true });
        for (const member of ["evil", "web"]) writeFileSync(path.join(outside, member, ".create-middleware.json"), "{}\n");
        writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "root", private: true, workspaces: globs }));
        symlinkSync(outside, path.join(repo, link));
        const before = snapshot(sandbox.path);
        const result = await runCli(["outdated", "--offline"], { cwd: repo, timeoutMs: 15_000 });
        assert.equal(result.code, 0, result.stderr + result.stdout);
        assert.doesNotMatch(result.stdout + result.stderr, /evil|web/);
        assert.match(result.stdout + result.stderr, /No package in the workspace/);
        assert.deepEqual(snapshot(sandbox.path), before);
      } finally {
        await sandbox.remove();
      }
    });
  }
});

describe("update --update-workflow in a member of a repository whose .github leads out", () => {
  it("is refused before the member is updated (exit 1), nothing written inside or outside the repository", async () => {
    const sandbox = await tempDir("cm-ws-gh-link-");
    try {
      const repo = path.join(sandbox.path, "repo");
      const outside = path.join(sandbox.path, "outside");
      mkdirSync(path.join(outside, "workflows"), { recursive: true });
      mkdirSync(repo, { recursive: true });
      writeFileSync(path.join(repo, "package.json"), NPM_ROOT);
      const made = await runCli(["rl", ...QUICK, "--no-git"], { cwd: repo, timeoutMs: 30_000 });
      assert.equal(made.code, 0, made.stderr + made.stdout);
      // The root's .github/workflows is a link to a folder outside: template-update.yml there would be written outside.
      rmSync(path.join(repo, ".github", "workflows"), { recursive: true, force: true });
      mkdirSync(path.join(repo, ".github"), { recursive: true });
      symlinkSync(path.join(outside, "workflows"), path.join(repo, ".github", "workflows"));
      const before = snapshot(sandbox.path);
      const member = path.join(repo, "packages", "rl");
      const result = await runCli(["update", member, "--update-workflow", "--yes"], { cwd: repo, timeoutMs: 30_000 });
      assert.equal(result.code, 1, result.stderr + result.stdout);
      assert.match(result.stderr, /Refusing to write \.github\/workflows\/template-update\.yml: \.github\/workflows leads outside/);
      assert.deepEqual(snapshot(sandbox.path), before, "the member's files (its answers file) are as they were");
    } finally {
      await sandbox.remove();
    }
  });
});

describe("monorepo git configuration a hostile repository holds", () => {
  it("the uncommitted-changes check does not run the repository's core.fsmonitor command", async () => {
    const sandbox = await tempDir("cm-ws-fsmon-");
    try {
      const repo = path.join(sandbox.path, "repo");
      const marker = path.join(sandbox.path, "fsmonitor-ran");
      mkdirSync(path.join(repo, ".github"), { recursive: true });
      writeFileSync(path.join(repo, "package.json"), NPM_ROOT);
      writeFileSync(path.join(repo, ".github", "dependabot.yml"), "version: 2\nupdates:\n");
      git(repo, "init", "-q");
      git(repo, "add", "-A");
      git(repo, "commit", "-qm", "root");
      // A repository copied with its .git (a tarball, a shared drive) brings its config; git status runs this.
      git(repo, "config", "core.fsmonitor", `touch ${JSON.stringify(marker)}; false`);
      const result = await runCli(["rl", "--dry-run", ...QUICK], { cwd: repo, timeoutMs: 15_000 });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.equal(existsSync(marker), false, "the repository's fsmonitor command must not run");
    } finally {
      await sandbox.remove();
    }
  });
});

describe("a workspace declared in a folder anyone may write to", () => {
  it("a package.json planted in a shared folder (like /tmp) is no workspace root: its install would run another user's scripts", async () => {
    const sandbox = await tempDir("cm-ws-shared-");
    try {
      const shared = path.join(sandbox.path, "shared");
      mkdirSync(path.join(shared, "mine"), { recursive: true });
      chmodSync(shared, 0o1777);
      writeFileSync(
        path.join(shared, "package.json"),
        JSON.stringify({ name: "planted", workspaces: ["*"], scripts: { postinstall: "touch pwned" } }),
      );
      const result = await runCli(["rl", "--dry-run", "--json", ...QUICK], { cwd: path.join(shared, "mine") });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.equal(JSON.parse(result.stdout).workspace ?? null, null, "a stand-alone package, not a member of the planted workspace");
    } finally {
      await sandbox.remove();
    }
  });
});

describe("monorepo opt-out and dry run", () => {
  let sandbox: Awaited<ReturnType<typeof tempDir>>;
  let repo: string;
  before(async () => {
    sandbox = await tempDir("cm-ws-opt-");
    repo = sandbox.path;
    writeFileSync(path.join(repo, "package.json"), NPM_ROOT);
    mkdirSync(path.join(repo, ".github"));
    writeFileSync(
      path.join(repo, ".github", "dependabot.yml"),
      "version: 2\n# ours\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: daily\n",
    );
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "root");
  });
  after(() => sandbox.remove());

  it("--dry-run shows the root files it would change as diffs, and writes nothing", async () => {
    const before = snapshot(repo);
    const result = await runCli(["rl", "--dry-run", ...QUICK], { cwd: repo });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /in \.\/packages\/rl with/);
    assert.match(result.stdout, /create \.github\/workflows\/rl-ci\.yml\n\s+--- \/dev\/null\n\s+\+\+\+ b\/\.github\/workflows\/rl-ci\.yml/);
    assert.match(
      result.stdout,
      /merge into \.github\/dependabot\.yml\n\s+--- a\/\.github\/dependabot\.yml\n\s+\+\+\+ b\/\.github\/dependabot\.yml\n[^]*\+ {2}- package-ecosystem: github-actions/,
    );
    assert.doesNotMatch(result.stdout, /^\s+\.github\/workflows\/ci\.yml/m, "the member has no .github of its own");
    assert.deepEqual(snapshot(repo), before);
  });

  it("--dry-run --json names the workspace, the member and each root file's action", async () => {
    const result = await runCli(["rl", "--dry-run", "--json", ...QUICK], { cwd: repo });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.workspace, {
      root: repo,
      member: "packages/rl",
      manager: "npm",
      rootFiles: [
        { path: ".github/workflows/rl-ci.yml", action: "create" },
        { path: ".github/workflows/rl-publish.yml", action: "create" },
        { path: ".github/dependabot.yml", action: "merge" },
      ],
    });
  });

  it("creates the member and merges the root's dependabot.yml, keeping its lines", async () => {
    const kept = readFileSync(path.join(repo, ".github", "dependabot.yml"), "utf8");
    const result = await runCli(["rl", ...QUICK], { cwd: repo });
    assert.equal(result.code, 0, result.stderr);
    const merged = readFileSync(path.join(repo, ".github", "dependabot.yml"), "utf8");
    assert.ok(merged.startsWith(kept));
    assert.match(merged.slice(kept.length), /package-ecosystem: github-actions/);
    assert.equal(existsSync(path.join(repo, "packages", "rl", ".git")), false);
  });

  it("a failed root install still lists the root files written, then says how to retry (exit 1)", async () => {
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "rl");
    const result = await runCli(["failing", "--yes"], {
      cwd: repo,
      // A registry on a closed port: the install fails at once, offline.
      env: { npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0", npm_config_cache: path.join(repo, ".npm-cache") },
      timeoutMs: 120_000,
    });
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.match(result.stdout, /At the workspace root .*\n {2}created \.github\/workflows\/failing-ci\.yml/);
    assert.match(result.stderr, /npm install failed[^]*To retry: /);
    assert.equal(existsSync(path.join(repo, ".github", "workflows", "failing-ci.yml")), true);
  });

  it("--no-workspace makes a stand-alone package, .github and all", async () => {
    const result = await runCli(["standalone", "--no-workspace", ...QUICK, "--no-git"], { cwd: repo });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(path.join(repo, "standalone", ".github", "workflows", "ci.yml")), true);
    assert.equal(existsSync(path.join(repo, ".github", "workflows", "standalone-ci.yml")), false);
  });
});
