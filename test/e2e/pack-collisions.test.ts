/**
 * Pack files that land where a built-in file or folder does (issue 25, item 8), against the built CLI:
 * a pack's plain base/README.md beside the built-in base/README.md.hbs is one file, the pack's (it used to
 * be listed twice by --dry-run and fail the real run with "appeared meanwhile"); a pack file named like a
 * built-in folder (base/example beside the starter's example/) is a clear refusal naming both.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-pack-collisions-");
});
after(() => work.remove());

const cm = (...args: string[]) => runCli(args, { cwd: work.path, timeoutMs: 60_000 });

describe("a pack file where a built-in template lands", () => {
  it("a plain base/README.md replaces the built-in README.md.hbs: listed once, written once, the pack's", async () => {
    const pack = path.join(work.path, "readme-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "README.md"), "# Our README, copied as is {{name}}\n");
    const dry = await cm("dry-pkg", "--yes", "--no-install", "--no-git", "--dry-run", "--template", "./readme-pack");
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.stdout.split("\n").filter((line) => /(^|\s)README\.md(\s|$)/.test(line)).length, 1, dry.stdout);
    const made = await cm("real-pkg", "--yes", "--no-install", "--no-git", "--template", "./readme-pack");
    assert.equal(made.code, 0, made.stderr);
    assert.equal(await readFile(path.join(work.path, "real-pkg", "README.md"), "utf8"), "# Our README, copied as is {{name}}\n");
  });

  it("README.md and README.md.hbs both in one pack folder: exit 2 naming both, nothing written", async () => {
    const pack = path.join(work.path, "twin-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "README.md"), "plain\n");
    await writeFile(path.join(pack, "base", "README.md.hbs"), "rendered\n");
    const made = await cm("twin-pkg", "--yes", "--no-install", "--no-git", "--template", "./twin-pack");
    assert.equal(made.code, 2, made.stderr);
    assert.match(made.stderr, /two files for README\.md: README\.md and README\.md\.hbs/);
    assert.ok(!existsSync(path.join(work.path, "twin-pkg")));
  });

  it("a pack file base/example where the starter has an example/ folder: exit 2 naming both, nothing written", async () => {
    const pack = path.join(work.path, "folder-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "example"), "not a folder\n");
    const made = await cm("folder-pkg", "--yes", "--no-install", "--no-git", "--template", "./folder-pack");
    assert.equal(made.code, 2, made.stderr);
    assert.match(
      made.stderr,
      /team pack\/base\/example is a file named example, and starters\/express\/[\w-]+\/example\/\S+ needs a folder of that name/,
    );
    assert.ok(!existsSync(path.join(work.path, "folder-pkg")));
  });
});
