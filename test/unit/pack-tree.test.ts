/** A template pack is untrusted input: readPackTree refuses links and special files and reads nothing outside it. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { packFolder, readPackTree } from "../../src/packs/pack-tree.js";
import { loadTemplateSet } from "../../src/render/template-source.js";
import { loadTemplatePack } from "../../src/answers/resolver.js";
import { templateLayers } from "../../src/create.js";

let root: string;
let secret: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cm-pack-tree-"));
  secret = path.join(root, "secret");
  await mkdir(secret);
  await writeFile(path.join(secret, "id_rsa"), "PRIVATE KEY");
});
after(() => rm(root, { recursive: true, force: true }));

async function pack(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

describe("readPackTree", () => {
  it("reads every file of the pack, by forward-slash path, and skips a root .git folder", async () => {
    const dir = await pack("plain", { "base/README.md.hbs": "# {{packageName}}", "express/src/x.ts": "x", ".git/config": "[core]" });
    const tree = readPackTree(dir);
    assert.deepEqual([...tree.files.keys()], ["base/README.md.hbs", "express/src/x.ts"]);
    assert.deepEqual([...packFolder(tree, "express").keys()], ["src/x.ts"]);
  });

  const links: Array<[string, string, (dir: string) => Promise<void>]> = [
    [
      "a symlinked layer folder",
      "base",
      async (dir) => {
        await rm(path.join(dir, "base"), { recursive: true });
        await symlink(secret, path.join(dir, "base"));
      },
    ],
    ["a symlinked nested folder", "express/src/keys", (dir) => symlink(secret, path.join(dir, "express", "src", "keys"))],
    ["a symlinked file", "base/id_rsa", (dir) => symlink(path.join(secret, "id_rsa"), path.join(dir, "base", "id_rsa"))],
    ["a dangling link", "base/gone", (dir) => symlink(path.join(root, "nowhere"), path.join(dir, "base", "gone"))],
    ["a link that stays inside the pack", "base/again", (dir) => symlink(path.join(dir, "express"), path.join(dir, "base", "again"))],
    ["a symlinked schema folder", "schemas/zod", (dir) => symlink(secret, path.join(dir, "schemas", "zod"))],
    ["a link to the pack's own root", "express/src/loop", (dir) => symlink(dir, path.join(dir, "express", "src", "loop"))],
  ];
  for (const [what, named, make] of links) {
    it(`refuses ${what}, naming it, and reads nothing through it`, async () => {
      const dir = await pack(`link-${named.replace(/\W/g, "-")}`, { "base/a.txt": "a", "express/src/x.ts": "x", "schemas/none/y": "y" });
      await make(dir);
      assert.throws(
        () => readPackTree(dir, 'Template pack "p"'),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, new RegExp(`symbolic link: ${named.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.`));
          assert.doesNotMatch(error.message, /PRIVATE KEY/);
          return true;
        },
      );
    });
  }

  it("refuses a FIFO without blocking on it", { skip: process.platform === "win32" && "no mkfifo" }, async () => {
    const dir = await pack("fifo", { "base/a.txt": "a" });
    execFileSync("mkfifo", [path.join(dir, "base", "pipe")]);
    assert.throws(() => readPackTree(dir), /base\/pipe, which is neither a file nor a folder/);
  });

  it("accepts a pack whose own path goes through a link (the user's choice), reading from its real root", async () => {
    const dir = await pack("real", { "base/a.txt": "a" });
    await symlink(dir, path.join(root, "alias"));
    assert.equal(readPackTree(path.join(root, "alias")).root, dir);
  });

  it("is what --template goes through: a symlinked layer never reaches the template set", async () => {
    const dir = await pack("via-layers", { "express/src/x.ts": "x" });
    await symlink(secret, path.join(dir, "base"));
    await assert.rejects(
      (async () =>
        loadTemplateSet(
          templateLayers({ target: "express", schema: "none", starter: "request-id" }, await loadTemplatePack(dir, { base: root, offline: false })),
        ))(),
      /contains a symbolic link: base\./,
    );
  });
});
