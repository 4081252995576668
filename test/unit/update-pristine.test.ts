/** The pristine renders kept in a package's git repository, against a real (throwaway) repository. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BASE_REF,
  isRepositoryRoot,
  MAX_BASE_ENTRIES,
  readPristine,
  recordPristine,
  repositoryFolder,
  UnsafeBaseError,
} from "../../src/system/pristine.js";

const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8", env });
const answers = (version: string, extra = "") => Buffer.from(`{\n  "version": 1,\n  "createMiddleware": "${version}"${extra}\n}\n`);

describe("pristine renders in the package's repository", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "cm-pristine-"));
    assert.equal(git(root, "init", "-q").status, 0);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("records renders as a chain and finds the one matching the package's answers file, bytes exact", async () => {
    assert.equal(await isRepositoryRoot(root, { env }), true);
    assert.equal(await readPristine(root, answers("0.1.0"), { env }), undefined, "nothing recorded yet");
    const binary = Buffer.from([0, 255, 10, 13, 10]);
    const v1 = [
      { path: ".create-middleware.json", contents: answers("0.1.0") },
      { path: "README.md", contents: Buffer.from("# v1 — ünïcode\n") },
      { path: "no-newline.txt", contents: Buffer.from("last line") },
      { path: "dir with space/logo.bin", contents: binary },
    ];
    const first = await recordPristine(root, v1, "create-middleware 0.1.0: pristine render", { env });
    const v2 = [
      { path: ".create-middleware.json", contents: answers("0.2.0") },
      { path: "README.md", contents: Buffer.from("# v2\n") },
    ];
    const second = await recordPristine(root, v2, "create-middleware 0.2.0: pristine render", { env });
    assert.equal(git(root, "rev-parse", `${BASE_REF}^`).stdout.trim(), first, "the second render sits on the first");

    const base1 = await readPristine(root, answers("0.1.0"), { env });
    assert.equal(base1?.commit, first);
    assert.deepEqual([...(base1?.files.keys() ?? [])].sort(), v1.map((file) => file.path).sort());
    for (const file of v1) assert.ok(base1?.files.get(file.path)?.equals(file.contents), file.path);

    const base2 = await readPristine(root, answers("0.2.0", ',\n  "update": {}'), { env });
    assert.equal(base2?.commit, second, 'bookkeeping under "update" does not matter');
    assert.deepEqual([...(base2?.files.keys() ?? [])].sort(), [".create-middleware.json", "README.md"], "a render holds only its own files");

    assert.equal(await readPristine(root, answers("9.9.9"), { env }), undefined);
    assert.equal(git(root, "status", "--porcelain").stdout, "", "the work tree and index are untouched");
    assert.equal(git(root, "branch", "--list").stdout, "", "no branch was created");
  });

  it(`at the bound: a render of exactly ${MAX_BASE_ENTRIES} files is read whole (the executable bit kept); one file more refuses it`, async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), "cm-pristine-bound-"));
    try {
      assert.equal(git(repo, "init", "-q").status, 0);
      const files = [
        { path: ".create-middleware.json", contents: answers("0.1.0") },
        { path: "bin/run.sh", contents: Buffer.from("#!/bin/sh\n"), executable: true },
        ...Array.from({ length: MAX_BASE_ENTRIES - 2 }, (_, index) => ({ path: `many/f${index}.txt`, contents: Buffer.from(`${index}\n`) })),
      ];
      await recordPristine(repo, files, "at the bound", { env });
      const base = await readPristine(repo, answers("0.1.0"), { env });
      assert.equal(base?.files.size, MAX_BASE_ENTRIES);
      assert.equal(base?.files.get("many/f123.txt")?.toString(), "123\n");
      assert.deepEqual([...(base?.executable ?? [])], ["bin/run.sh"]);

      await recordPristine(repo, [...files, { path: "one-more.txt", contents: Buffer.from("x\n") }], "past the bound", { env });
      await assert.rejects(readPristine(repo, answers("0.1.0"), { env }), (error: unknown) => {
        assert.ok(error instanceof UnsafeBaseError);
        assert.match(error.message, new RegExp(`has more than ${MAX_BASE_ENTRIES} entries`));
        return true;
      });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it("members of a monorepo keep their renders on the same ref, each under its folder, without touching the others'", async () => {
    const { mkdir } = await import("node:fs/promises");
    const mono = await mkdtemp(path.join(os.tmpdir(), "cm-pristine-mono-"));
    try {
      assert.equal(git(mono, "init", "-q").status, 0);
      const a = path.join(mono, "packages", "a");
      const b = path.join(mono, "packages", "b");
      await mkdir(a, { recursive: true });
      await mkdir(b, { recursive: true });
      assert.equal(await repositoryFolder(mono, { env }), "");
      assert.equal(await repositoryFolder(a, { env }), "packages/a");
      const render = (version: string, readme: string) => [
        { path: ".create-middleware.json", contents: answers(version) },
        { path: "README.md", contents: Buffer.from(readme) },
      ];
      await recordPristine(a, render("0.1.0", "# a v1\n"), "a v1", { env, folder: "packages/a" });
      await recordPristine(b, render("0.1.0", "# b v1\n"), "b v1", { env, folder: "packages/b" });
      await recordPristine(a, [{ path: ".create-middleware.json", contents: answers("0.2.0") }], "a v2", { env, folder: "packages/a" });

      const tip = git(mono, "ls-tree", "-r", "--name-only", BASE_REF).stdout.trim().split("\n");
      assert.deepEqual(
        tip,
        ["packages/a/.create-middleware.json", "packages/b/.create-middleware.json", "packages/b/README.md"],
        "a's new render replaced a's folder only",
      );
      const aNow = await readPristine(a, answers("0.2.0"), { env, folder: "packages/a" });
      assert.deepEqual([...(aNow?.files.keys() ?? [])], [".create-middleware.json"], "paths relative to the member");
      const aBefore = await readPristine(a, answers("0.1.0"), { env, folder: "packages/a" });
      assert.equal(aBefore?.files.get("README.md")?.toString(), "# a v1\n", "an older render of a, further down the chain");
      const bNow = await readPristine(b, answers("0.1.0"), { env, folder: "packages/b" });
      assert.equal(bNow?.files.get("README.md")?.toString(), "# b v1\n");
      assert.equal(await readPristine(b, answers("0.2.0"), { env, folder: "packages/b" }), undefined);
    } finally {
      await rm(mono, { recursive: true, force: true });
    }
  });

  it("members whose folder names hold a trailing space, quotes or a backslash keep their own renders (never another's)", async () => {
    const { mkdir } = await import("node:fs/promises");
    const mono = await mkdtemp(path.join(os.tmpdir(), "cm-pristine-odd-"));
    try {
      assert.equal(git(mono, "init", "-q").status, 0);
      const names = ["a", "a ", ' "q" \\b'];
      for (const [index, name] of names.entries()) {
        const directory = path.join(mono, "packages", name);
        await mkdir(directory, { recursive: true });
        const folder = await repositoryFolder(directory, { env });
        assert.equal(folder, `packages/${name}`, JSON.stringify(name));
        await recordPristine(directory, [{ path: ".create-middleware.json", contents: answers(`0.${index}.0`) }], `render ${index}`, {
          env,
          folder: folder!,
        });
      }
      for (const [index, name] of names.entries()) {
        const base = await readPristine(path.join(mono, "packages", name), answers(`0.${index}.0`), { env, folder: `packages/${name}` });
        assert.ok(base, `${JSON.stringify(name)}'s render is still there`);
      }
    } finally {
      await rm(mono, { recursive: true, force: true });
    }
  });

  it("a folder inside another repository is not a repository root", async () => {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(root, "inner"));
    assert.equal(await isRepositoryRoot(path.join(root, "inner"), { env }), false);
  });
});
