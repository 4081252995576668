import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { applyChanges } from "../../src/write/write-changes.js";
import { withExecutable } from "../../src/write/write.js";

async function tree(directory: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(directory, file)] = entry.isFile() ? await readFile(file, "utf8") : "<dir>";
  }
  return out;
}

describe("withExecutable: the executable bit a template changes, on the user's own mode", () => {
  it("adds x where the file is readable and removes it, never adds setuid, setgid, sticky or a write bit", () => {
    assert.equal(withExecutable(0o644, true), 0o755);
    assert.equal(withExecutable(0o600, true), 0o700, "a private file stays private");
    assert.equal(withExecutable(0o755, false), 0o644);
    assert.equal(withExecutable(0o4755, true), 0o755, "special bits dropped");
    assert.equal(withExecutable(0o7644, false), 0o644);
    for (let mode = 0; mode <= 0o7777; mode += 1)
      for (const executable of [true, false]) {
        const result = withExecutable(mode, executable);
        assert.equal(result & 0o7000, 0);
        assert.equal(result & 0o666, mode & 0o666, "read and write bits exactly as they were");
      }
  });
});

describe("applyChanges", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "cm-changes-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("writes, replaces and deletes, keeps modes, removes folders a deletion emptied, leaves no temporary file", async () => {
    const dir = path.join(root, "ok");
    await mkdir(path.join(dir, "old", "deep"), { recursive: true });
    await writeFile(path.join(dir, "a.txt"), "a1");
    await writeFile(path.join(dir, "run.sh"), "#!/bin/sh\n");
    await chmod(path.join(dir, "run.sh"), 0o755);
    await writeFile(path.join(dir, "old", "deep", "gone.txt"), "bye");
    const result = await applyChanges(dir, [
      { path: "a.txt", contents: Buffer.from("a2") },
      { path: "run.sh", contents: Buffer.from("#!/bin/sh\necho\n") },
      { path: "new/nested/b.txt", contents: Buffer.from("b") },
      { path: "old/deep/gone.txt", contents: null },
    ]);
    assert.deepEqual(result, { written: ["a.txt", "run.sh", "new/nested/b.txt"], deleted: ["old/deep/gone.txt"] });
    assert.deepEqual(await tree(dir), {
      "a.txt": "a2",
      new: "<dir>",
      "new/nested": "<dir>",
      "new/nested/b.txt": "b",
      "run.sh": "#!/bin/sh\necho\n",
    });
    assert.equal((await stat(path.join(dir, "run.sh"))).mode & 0o777, 0o755);
  });

  it("a folder in the way of a file: refused before anything changes", async () => {
    const dir = path.join(root, "fail");
    await mkdir(dir);
    await writeFile(path.join(dir, "a.txt"), "a1");
    await writeFile(path.join(dir, "gone.txt"), "keep me");
    await mkdir(path.join(dir, "blocked"));
    const before = await tree(dir);
    await assert.rejects(
      applyChanges(dir, [
        { path: "a.txt", contents: Buffer.from("a2") },
        { path: "gone.txt", contents: null },
        { path: "fresh/new.txt", contents: Buffer.from("n") },
        { path: "blocked", contents: Buffer.from("x") },
      ]),
    );
    assert.deepEqual(await tree(dir), before);
  });

  it("refuses a path outside the directory before touching anything", async () => {
    const dir = path.join(root, "escape");
    await mkdir(dir);
    await writeFile(path.join(dir, "a.txt"), "a1");
    await assert.rejects(
      applyChanges(dir, [
        { path: "a.txt", contents: Buffer.from("2") },
        { path: "../x", contents: Buffer.from("x") },
      ]),
      /inside/,
    );
    assert.deepEqual(await tree(dir), { "a.txt": "a1" });
  });
});
