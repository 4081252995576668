/**
 * What makes the full check faster, without running it: package scripts run the way npm runs them (minus
 * npm), the node_modules cache (key, freshness, staging, links, pruning), and the batched pack's output.
 */
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import {
  CACHE_MAX_AGE_MS,
  CACHE_PRUNE_AGE_MS,
  discardEntry,
  entriesFolder,
  finishEntry,
  freshEntry,
  installKey,
  linkEntry,
  pruneEntries,
  startEntry,
  workspaceManifests,
} from "../../src/check/install-cache.js";
import { packEntries } from "../../src/check/packaging.js";
import { planScript, runScript } from "../../src/check/scripts.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-check-speed-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("package scripts without npm", () => {
  const manifest = {
    name: "check-x",
    version: "0.1.0",
    scripts: { pretest: "echo pre", test: "node --test", posttest: "echo post", build: "tsc -p tsconfig.build.json" },
  };
  const context = {
    packageDirectory: "/w/packages/x",
    workspaceRoot: "/w",
    env: { PATH: "/usr/bin", npm_package_name: "create-middleware", npm_lifecycle_event: "test", HOME: "/h" },
    platform: "linux" as const,
  };

  it("runs pre, main and post through sh, with every node_modules/.bin up to the workspace first on PATH", () => {
    const plan = planScript(manifest, "test", context);
    assert.ok(!("missing" in plan));
    assert.deepEqual(plan.lines, [
      { command: "sh", args: ["-c", "echo pre"] },
      { command: "sh", args: ["-c", "node --test"] },
      { command: "sh", args: ["-c", "echo post"] },
    ]);
    assert.equal(plan.command, "echo pre && node --test && echo post");
    assert.equal(
      plan.env.PATH,
      ["/w/packages/x/node_modules/.bin", "/w/packages/node_modules/.bin", "/w/node_modules/.bin", "/usr/bin"].join(path.delimiter),
    );
    assert.equal(plan.env.npm_lifecycle_event, "test");
    assert.equal(plan.env.npm_package_name, "check-x", "the package's own name, not the caller's");
    assert.equal(plan.env.INIT_CWD, "/w/packages/x");
    assert.equal(plan.env.HOME, "/h");
    assert.equal(plan.env.NO_COLOR, "1");
  });

  it("shows the script itself as the command, and says when it is missing", () => {
    const plan = planScript(manifest, "build", context);
    assert.ok(!("missing" in plan) && plan.command === "tsc -p tsconfig.build.json" && plan.lines.length === 1);
    assert.deepEqual(planScript(manifest, "typecheck", context), { missing: 'package.json has no "typecheck" script' });
  });

  it("leaves Windows to npm", () => {
    const plan = planScript(manifest, "test", { ...context, platform: "win32" });
    assert.ok(!("missing" in plan));
    assert.deepEqual(plan.lines, [{ command: "npm", args: ["run", "test"] }]);
  });

  it("runs for real: a failing pre script stops the rest, output of every phase is kept", { skip: process.platform === "win32" }, async () => {
    const directory = path.join(scratch, "scripts", "packages", "x");
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      path.join(directory, "package.json"),
      JSON.stringify({
        name: "x",
        scripts: { prebuild: "echo before $npm_lifecycle_event", build: "echo building; exit 3", postbuild: "echo never", test: "echo ok" },
      }),
    );
    const context = { packageDirectory: directory, workspaceRoot: path.join(scratch, "scripts"), timeoutMs: 30_000 };
    const built = await runScript("build", context);
    assert.equal(built.run.ok, false);
    assert.equal(built.run.exitCode, 3);
    assert.match(built.run.output, /before build\nbuilding/);
    assert.doesNotMatch(built.run.output, /never/);
    assert.equal(built.command, "echo before $npm_lifecycle_event && echo building; exit 3 && echo never");
    const tested = await runScript("test", context);
    assert.equal(tested.run.ok, true);
    assert.equal(tested.run.stdout, "ok");
    const missing = await runScript("typecheck", context);
    assert.equal(missing.run.ok, false);
    assert.match(missing.run.output, /no "typecheck" script/);
  });
});

describe("node_modules cache", () => {
  const manifest = (deps: Record<string, string>, extra: object = {}) =>
    JSON.stringify({ name: "check-a", version: "0.1.0", description: "x", dependencies: deps, ...extra });
  const root = JSON.stringify({ private: true, workspaces: ["packages/*"], devDependencies: { publint: "0.3.25" } });

  it("keys by what npm install reads, on this platform", () => {
    const base = new Map([
      [".", root],
      ["packages/a", manifest({ zod: "^4" })],
    ]);
    const key = installKey(base);
    assert.match(key, /^[0-9a-f]{32}$/);
    assert.equal(
      installKey(
        new Map([
          ["packages/a", manifest({ zod: "^4" })],
          [".", root],
        ]),
      ),
      key,
      "order does not matter",
    );
    assert.equal(
      installKey(
        new Map([
          [".", root],
          ["packages/a", manifest({ zod: "^4" }, { description: "other", keywords: ["k"] })],
        ]),
      ),
      key,
      "descriptions do not matter",
    );
    assert.notEqual(
      installKey(
        new Map([
          [".", root],
          ["packages/a", manifest({ zod: "^3" })],
        ]),
      ),
      key,
      "a range does",
    );
    assert.notEqual(
      installKey(
        new Map([
          [".", root],
          ["packages/b", manifest({ zod: "^4" })],
        ]),
      ),
      key,
      "a folder does",
    );
    assert.notEqual(installKey(base, "win32-x64-node22"), key, "the platform does");
  });

  it("stages, finishes, reuses while fresh, links, and prunes week-old entries", () => {
    const cache = path.join(scratch, "cache");
    const workspace = path.join(scratch, "workspace");
    mkdirSync(path.join(workspace, "packages", "a"), { recursive: true });
    writeFileSync(path.join(workspace, "package.json"), root);
    writeFileSync(path.join(workspace, "packages", "a", "package.json"), manifest({ zod: "^4" }));
    const manifests = workspaceManifests(workspace, ["packages/a"]);
    const key = installKey(manifests);
    assert.equal(freshEntry(cache, key), undefined, "nothing cached yet");

    const staging = startEntry(cache, key, manifests);
    assert.equal(readFileSync(path.join(staging, "packages", "a", "package.json"), "utf8"), manifests.get("packages/a"));
    assert.equal(freshEntry(cache, key), undefined, "a staged entry is not used");
    // What npm install would leave: node_modules at the root and one nested in the package.
    mkdirSync(path.join(staging, "node_modules", "zod"), { recursive: true });
    mkdirSync(path.join(staging, "packages", "a", "node_modules", "clash"), { recursive: true });
    const entry = finishEntry(staging, cache, key);
    assert.equal(existsSync(staging), false);
    assert.equal(freshEntry(cache, key)?.entry, entry);

    linkEntry(entry, workspace, ["packages/a"]);
    assert.ok(lstatSync(path.join(workspace, "node_modules")).isSymbolicLink());
    assert.equal(readlinkSync(path.join(workspace, "node_modules")), path.join(entry, "node_modules"));
    assert.equal(readlinkSync(path.join(workspace, "packages", "a", "node_modules")), path.join(entry, "packages", "a", "node_modules"));
    rmSync(workspace, { recursive: true, force: true });
    assert.ok(existsSync(path.join(entry, "node_modules", "zod")), "removing a workspace leaves the cache alone");

    const day = Date.now() + CACHE_MAX_AGE_MS + 1000;
    assert.equal(freshEntry(cache, key, day), undefined, "older than a day: installed afresh");
    const newer = finishEntry(startEntry(cache, key, manifests), cache, key, Date.now() + 5);
    mkdirSync(path.join(newer, "node_modules"));
    assert.equal(freshEntry(cache, key)?.entry, newer, "the newest entry wins");

    discardEntry(startEntry(cache, key, manifests));
    const old = (Date.now() - CACHE_PRUNE_AGE_MS - 60_000) / 1000;
    utimesSync(path.join(entry, ".create-middleware-complete"), old, old);
    pruneEntries(cache);
    assert.equal(existsSync(entry), false, "a week-old entry is deleted");
    assert.ok(existsSync(newer));
    assert.deepEqual(
      readdirNames(entriesFolder(cache)).filter((name) => name.includes(".tmp-")),
      [],
      "a discarded staging folder is gone",
    );
  });
});

function readdirNames(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

describe("batched npm pack output", () => {
  it("reads every entry after lifecycle noise, and refuses what is not a list", () => {
    const entries = packEntries(
      `> noise\n${JSON.stringify([
        { name: "a", files: [{ path: "package.json" }] },
        { name: "b", files: [] },
      ])}`,
    );
    assert.deepEqual(
      entries.map((entry) => entry.name),
      ["a", "b"],
    );
    assert.throws(() => packEntries("nothing"), /no JSON/);
  });
});
