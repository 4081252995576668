import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideWrite, type TargetState } from "../../src/write/write-actions.js";

const files = [
  { path: "package.json", contents: Buffer.from("{}\n") },
  { path: "README.md", contents: Buffer.from("# new\n") },
  { path: "src/index.ts", contents: Buffer.from("export {};\n") },
];
const state = (entries: string[], existing: Record<string, string | null>): TargetState => ({
  exists: true,
  entries,
  existing: new Map(Object.entries(existing).map(([file, text]) => [file, text === null ? null : Buffer.from(text)])),
});

describe("decideWrite", () => {
  it("a missing directory: every file is created, nothing refused", () => {
    const decision = decideWrite(files, { exists: false, entries: [], existing: new Map() }, { force: false });
    assert.deepEqual(
      decision.actions.map((entry) => entry.action),
      ["create", "create", "create"],
    );
    assert.equal(decision.refusal, undefined);
  });

  it("an empty directory is filled without force", () => {
    assert.equal(decideWrite(files, state([], {}), { force: false }).refusal, undefined);
  });

  it("without force, a non-empty directory is refused, naming the files that would be overwritten", () => {
    const decision = decideWrite(files, state(["README.md", "notes.txt", "package.json"], { "package.json": "{}\n", "README.md": "# mine\n" }), {
      force: false,
    });
    assert.deepEqual(decision.refusal, { conflicts: ["package.json", "README.md"], overlap: true });
    // The actions still say what --force would do.
    assert.deepEqual(
      decision.actions.map((entry) => entry.action),
      ["identical", "replace", "create"],
    );
  });

  it("without force, a directory holding only other files is refused, listing them", () => {
    assert.deepEqual(decideWrite(files, state(["notes.txt"], {}), { force: false }).refusal, { conflicts: ["notes.txt"], overlap: false });
  });

  it("with force: identical bytes are identical, other content or a non-file is replaced", () => {
    const decision = decideWrite(
      files,
      state(["README.md", "package.json", "src"], { "package.json": "{}\n", "README.md": "# new", "src/index.ts": null }),
      { force: true },
    );
    assert.equal(decision.refusal, undefined);
    assert.deepEqual(decision.actions, [
      { path: "package.json", action: "identical" },
      { path: "README.md", action: "replace" },
      { path: "src/index.ts", action: "replace" },
    ]);
  });
});

describe("writePackage with force uses the same decision", () => {
  it("leaves identical files untouched and reports only real replacements", async () => {
    const { mkdtemp, readFile, rm, stat, utimes, writeFile, mkdir } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const { writePackage } = await import("../../src/write/write.js");
    const root = await mkdtemp(path.join(os.tmpdir(), "cm-actions-"));
    try {
      await mkdir(path.join(root, "src"));
      await writeFile(path.join(root, "package.json"), "{}\n");
      await writeFile(path.join(root, "README.md"), "# mine\n");
      const old = new Date("2020-01-01T00:00:00Z");
      await utimes(path.join(root, "package.json"), old, old);
      const planned = files.map((file) => ({ ...file, source: `test/${file.path}` }));
      const result = await writePackage(root, planned, { force: true });
      assert.deepEqual(result.overwritten, ["README.md"]);
      assert.deepEqual(result.identical, ["package.json"]);
      assert.equal((await stat(path.join(root, "package.json"))).mtime.getTime(), old.getTime(), "identical file not rewritten");
      assert.equal(await readFile(path.join(root, "README.md"), "utf8"), "# new\n");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
