/**
 * The published package carries the built-in templates' own files as one file, dist/templates/sources.json,
 * not the templates/ folder: `template init` copies from it, and a pack's unchanged copy of a built-in file
 * is known by comparing with it (then it renders with the code compiled at build time, no compiler loaded).
 */
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

const RECORDER = fileURLToPath(new URL("../fixtures/loaded-modules/record.cjs", import.meta.url));
let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-sources-");
});
after(() => work.remove());

async function templateFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files.set(
        path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"),
        await readFile(path.join(entry.parentPath, entry.name)),
      );
  }
  return files;
}

describe("the built-in templates' own files in dist/templates/sources.json", () => {
  it("hold every file of templates/, byte for byte, and nothing else", async () => {
    const bundled = JSON.parse(await readFile(path.join(REPO, "dist", "templates", "sources.json"), "utf8")) as Record<string, string>;
    const folder = await templateFiles(path.join(REPO, "templates"));
    assert.deepEqual(Object.keys(bundled).sort(), [...folder.keys()].sort());
    for (const [relative, bytes] of folder) assert.ok(Buffer.from(bundled[relative]!, "utf8").equals(bytes), relative);
  });

  it("are what template init copies, and an unchanged copy renders without the Handlebars compiler", async () => {
    const init = await runCli(["template", "init", "pack"], { cwd: work.path });
    assert.equal(init.code, 0, init.stderr);
    const copied = await templateFiles(path.join(work.path, "pack"));
    for (const [relative, bytes] of await templateFiles(path.join(REPO, "templates"))) assert.ok(copied.get(relative)?.equals(bytes), relative);

    const loaded = path.join(work.path, "loaded.json");
    const env = { NODE_OPTIONS: `--require ${RECORDER}`, RECORD_LOADED_MODULES: loaded };
    const unchanged = await runCli(["same", "--yes", "--no-install", "--no-git", "--template", "./pack"], { cwd: work.path, env });
    assert.equal(unchanged.code, 0, unchanged.stderr);
    const chunks = (JSON.parse(await readFile(loaded, "utf8")) as { files: string[] }).files.filter((file) =>
      file.includes(`${path.sep}chunks${path.sep}`),
    );
    assert.deepEqual(
      chunks.map((file) => path.basename(file)),
      ["handlebars-runtime.cjs"],
    );

    // The same pack with one template changed needs the compiler, for that file only.
    await writeFile(path.join(work.path, "pack", "base", "CHANGELOG.md.hbs"), "# {{packageName}}\n");
    const changed = await runCli(["other", "--yes", "--no-install", "--no-git", "--template", "./pack"], { cwd: work.path, env });
    assert.equal(changed.code, 0, changed.stderr);
    const chunksNow = (JSON.parse(await readFile(loaded, "utf8")) as { files: string[] }).files.filter((file) =>
      file.includes(`${path.sep}chunks${path.sep}`),
    );
    assert.deepEqual(
      chunksNow.map((file) => path.basename(file)),
      ["handlebars.cjs"],
    );
    assert.equal(await readFile(path.join(work.path, "other", "CHANGELOG.md"), "utf8"), "# other\n");
  });
});
