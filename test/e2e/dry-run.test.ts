/**
 * An honest `--dry-run` for create: into a non-empty directory it says what the real run would do, file by
 * file, and fails where the real run fails, with the same message; it never writes.
 */
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const QUICK = ["--yes", "--no-install", "--no-git"];

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-dry-");
});
after(() => work.remove());

const run = (args: string[]) => runCli(args, { cwd: work.path });

/** Every file under `directory` with its bytes and modification time: what "nothing changed" means. */
async function snapshot(directory: string): Promise<Map<string, string>> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const result = new Map<string, string>();
  for (const entry of entries.filter((item) => item.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    result.set(path.relative(directory, file), `${(await stat(file)).mtimeMs}:${await readFile(file, "utf8")}`);
  }
  return result;
}

describe("create --dry-run into a non-empty directory", () => {
  let directory: string;
  before(async () => {
    const made = await run(["pkg", ...QUICK]);
    assert.equal(made.code, 0, made.stderr);
    directory = path.join(work.path, "pkg");
    await writeFile(path.join(directory, "README.md"), "# my own readme\n");
    await writeFile(path.join(directory, "notes.txt"), "keep\n");
  });

  it("without --force: exit 1 with the real run's message, each file marked, nothing written", async () => {
    const before = await snapshot(directory);
    const dry = await run(["pkg", ...QUICK, "--dry-run"]);
    const real = await run(["pkg", ...QUICK]);
    assert.equal(real.code, 1, "the real run refuses");
    assert.equal(dry.code, 1, "so the dry run fails too");
    const refusal = /is not empty \(would overwrite: [^\n]*README\.md[^\n]*\)/;
    assert.match(real.stderr, refusal);
    assert.equal(dry.stderr, real.stderr, "the same message as the real run");
    assert.match(dry.stdout, /the real run would refuse/);
    assert.match(dry.stdout, /README\.md\s+would replace/);
    assert.match(dry.stdout, /src\/index\.ts\s+identical/);
    assert.doesNotMatch(dry.stdout, /ok: true/);
    assert.deepEqual(await snapshot(directory), before);
  });

  it("with --force: identical files are reported unchanged, the edited one as replaced, new ones as created", async () => {
    await writeFile(path.join(directory, "src", "index.ts"), "// gone\n");
    const { rm } = await import("node:fs/promises");
    await rm(path.join(directory, "LICENSE"));
    const before = await snapshot(directory);
    const dry = await run(["pkg", ...QUICK, "--dry-run", "--force", "--json"]);
    assert.equal(dry.code, 0, dry.stderr);
    const report = JSON.parse(dry.stdout) as { ok: boolean; overwritten: string[]; files: Array<{ path: string; action: string }> };
    assert.equal(report.ok, true);
    const action = new Map(report.files.map((file) => [file.path, file.action]));
    assert.equal(action.get("README.md"), "replace");
    assert.equal(action.get("src/index.ts"), "replace");
    assert.equal(action.get("LICENSE"), "create");
    assert.equal(action.get("package.json"), "identical");
    assert.deepEqual(report.overwritten.sort(), ["README.md", "src/index.ts"]);
    assert.deepEqual(await snapshot(directory), before, "the dry run wrote nothing");

    // The real run does exactly what the dry run said: identical files untouched, not "replaced".
    const real = await run(["pkg", ...QUICK, "--force", "--json"]);
    assert.equal(real.code, 0, real.stderr);
    const written = JSON.parse(real.stdout) as { overwritten: string[]; files: Array<{ path: string; action: string }> };
    assert.deepEqual(written.overwritten.sort(), ["README.md", "src/index.ts"]);
    assert.deepEqual(
      written.files.map((file) => [file.path, file.action]),
      report.files.map((file) => [file.path, file.action]),
    );
    const after = await snapshot(directory);
    assert.equal(after.get("package.json"), before.get("package.json"), "identical file not rewritten");
    assert.equal(after.get("notes.txt"), before.get("notes.txt"));
  });

  it("--dry-run --json without --force: ok false, the error, exit 1, stdout still one JSON document", async () => {
    const dry = await run(["pkg", ...QUICK, "--dry-run", "--json"]);
    assert.equal(dry.code, 1);
    const report = JSON.parse(dry.stdout) as { ok: boolean; error: string };
    assert.equal(report.ok, false);
    assert.match(report.error, /is not empty/);
  });
});
