import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { FailedError } from "../../src/errors.js";
import type { PlannedFile } from "../../src/render/plan.js";
import { writePackage } from "../../src/write/write.js";

const planned = (entries: Record<string, string>): PlannedFile[] =>
  Object.entries(entries).map(([file, text]) => ({ path: file, contents: Buffer.from(text), source: `test/${file}` }));

describe("writePackage", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "cm-write-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("creates a new directory and leaves no staging folder behind", async () => {
    const directory = path.join(root, "nested", "fresh");
    const result = await writePackage(directory, planned({ "package.json": "{}", "src/index.ts": "x" }), { force: false });
    assert.deepEqual(result.written, ["package.json", "src/index.ts"]);
    assert.equal(await readFile(path.join(directory, "src/index.ts"), "utf8"), "x");
    assert.deepEqual(await readdir(path.join(root, "nested")), ["fresh"]);
  });

  it("gives a new directory the usual permissions, not a temporary folder's 0700", async () => {
    const directory = path.join(root, "modes");
    await writePackage(directory, planned({ a: "1" }), { force: false });
    const expected = 0o777 & ~process.umask();
    assert.equal((await stat(directory)).mode & 0o777, expected);
  });

  it("fills an existing empty directory in place", async () => {
    const directory = path.join(root, "empty");
    await mkdir(directory);
    await writePackage(directory, planned({ a: "1" }), { force: false });
    assert.equal(await readFile(path.join(directory, "a"), "utf8"), "1");
  });

  it("refuses a non-empty directory, names the conflicts and changes nothing", async () => {
    const directory = path.join(root, "busy");
    await mkdir(directory);
    await writeFile(path.join(directory, "README.md"), "mine");
    await assert.rejects(writePackage(directory, planned({ "README.md": "theirs", b: "2" }), { force: false }), (error: unknown) => {
      assert.ok(error instanceof FailedError);
      assert.match(error.message, /not empty \(would overwrite: README\.md\)/);
      assert.match(error.message, /--force/);
      return true;
    });
    assert.equal(await readFile(path.join(directory, "README.md"), "utf8"), "mine");
    assert.deepEqual(await readdir(directory), ["README.md"]);
  });

  it("lists what a non-empty directory holds even when nothing would be overwritten", async () => {
    const directory = path.join(root, "notes");
    await mkdir(directory);
    await writeFile(path.join(directory, "notes.txt"), "keep");
    await assert.rejects(writePackage(directory, planned({ a: "1" }), { force: false }), /contains: notes\.txt/);
  });

  it("with force, writes only the package's files, reports replacements and deletes nothing", async () => {
    const directory = path.join(root, "forced");
    await mkdir(directory);
    await writeFile(path.join(directory, "README.md"), "mine");
    await writeFile(path.join(directory, "keep.txt"), "keep");
    const result = await writePackage(directory, planned({ "README.md": "theirs", "src/x.ts": "x" }), { force: true });
    assert.deepEqual(result.overwritten, ["README.md"]);
    assert.equal(await readFile(path.join(directory, "README.md"), "utf8"), "theirs");
    assert.equal(await readFile(path.join(directory, "keep.txt"), "utf8"), "keep");
    assert.deepEqual((await readdir(directory)).sort(), ["README.md", "keep.txt", "src"]);
  });

  it("with force, refuses to follow a symbolic link out of the directory, before writing anything", async () => {
    const outside = path.join(root, "outside");
    const directory = path.join(root, "linked");
    await mkdir(outside);
    await mkdir(directory);
    await symlink(outside, path.join(directory, "src"));
    await assert.rejects(writePackage(directory, planned({ "a.txt": "1", "src/index.ts": "x" }), { force: true }), /leads outside/);
    assert.deepEqual(await readdir(outside), []);
    assert.deepEqual((await readdir(directory)).sort(), ["src"]);
  });

  it("refuses a path that leaves the directory", async () => {
    await assert.rejects(writePackage(path.join(root, "evil"), planned({ "../escaped": "x" }), { force: false }), /must stay inside/);
    assert.ok(!(await readdir(root)).includes("escaped"));
  });

  it("refuses a target that is a file", async () => {
    const file = path.join(root, "a-file");
    await writeFile(file, "x");
    await assert.rejects(writePackage(file, planned({ a: "1" }), { force: true }), /exists and is not a directory/);
  });

  it("a failure while writing a new nested directory leaves nothing: no staging folder, no parent folders, the user's path named", async () => {
    const directory = path.join(root, "fresh-parent", "deeper", "pkg");
    // "a" is both a file and a folder: the write fails part-way through the staging folder.
    await assert.rejects(writePackage(directory, planned({ "a/b": "1", a: "2" }), { force: false }), (error: unknown) => {
      assert.ok(error instanceof FailedError);
      assert.match(error.message, new RegExp(`Could not write .*${path.join("pkg", "a").replace(/[/\\]/g, ".")}: `));
      assert.doesNotMatch(error.message, /create-middleware-\d+/, "never the hidden staging folder");
      assert.match(error.message, /Nothing was written/);
      return true;
    });
    assert.ok(!(await readdir(root)).includes("fresh-parent"), "the parent folders made for it are gone");
  });

  it("a new directory whose name is too long for the file system: a clean message, nothing left", async () => {
    const directory = path.join(root, "long", "x".repeat(250));
    await assert.rejects(
      writePackage(directory, planned({ a: "1" }), { force: false }),
      /Cannot create .*: the name is too long for the file system \(ENAMETOOLONG\)/,
    );
    assert.ok(!(await readdir(root)).includes("long"));
  });

  it("with force, a failure while writing changes none of the user's files and leaves no temporaries or new folders", async () => {
    const directory = path.join(root, "forced-fail");
    await mkdir(directory);
    await writeFile(path.join(directory, "README.md"), "mine");
    const tooLong = `deep/er/${"n".repeat(240)}`; // fine as a name, too long once the temporary suffix is added
    await assert.rejects(
      writePackage(directory, planned({ "README.md": "theirs", [tooLong]: "x", "z.txt": "z" }), { force: true }),
      (error: unknown) => {
        assert.ok(error instanceof FailedError);
        assert.match(error.message, /Could not write .*deep\/er\/n+: the name is too long/);
        assert.match(error.message, /Nothing in .* was changed/);
        return true;
      },
    );
    assert.equal(await readFile(path.join(directory, "README.md"), "utf8"), "mine");
    assert.deepEqual(await readdir(directory), ["README.md"]);
  });

  it("with force, a replaced file keeps its mode", async () => {
    const directory = path.join(root, "forced-mode");
    await mkdir(directory);
    await writeFile(path.join(directory, "run.sh"), "old", { mode: 0o755 });
    await writePackage(directory, planned({ "run.sh": "new" }), { force: true });
    assert.equal((await stat(path.join(directory, "run.sh"))).mode & 0o777, 0o755);
    assert.equal(await readFile(path.join(directory, "run.sh"), "utf8"), "new");
  });

  it("refuses two paths a case-insensitive file system takes for one file", async () => {
    await assert.rejects(
      writePackage(path.join(root, "cases"), planned({ "README.md": "a", "readme.md": "b" }), { force: false }),
      /case-insensitive/,
    );
    assert.ok(!(await readdir(root)).includes("cases"));
  });

  it("refuses a planned .git path before touching the disk", async () => {
    await assert.rejects(writePackage(path.join(root, "gitty"), planned({ ".GIT/config": "[core]" }), { force: false }), /\.git folder/);
    assert.ok(!(await readdir(root)).includes("gitty"));
  });
});
