import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { assertSafeRelativePath, outputPath, renderPlan } from "../../src/render/plan.js";
import type { TemplateData } from "../../src/render/template-data.js";

describe("outputPath", () => {
  it("strips .hbs and turns a leading underscore into a dot", () => {
    assert.equal(outputPath("_gitignore"), ".gitignore");
    assert.equal(outputPath("_github/workflows/ci.yml.hbs"), ".github/workflows/ci.yml");
    assert.equal(outputPath("src/index.ts.hbs"), "src/index.ts");
    assert.equal(outputPath("LICENSE"), "LICENSE");
  });
});

describe("assertSafeRelativePath", () => {
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "C:\\x", "a\\..\\b", "a//b", "./a", "", "a\0b"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => assertSafeRelativePath(bad), UsageError));
  }
  it("accepts ordinary nested paths", () => assert.doesNotThrow(() => assertSafeRelativePath(".github/workflows/ci.yml")));

  // A pack that writes .git/config can make the user's next `git status` run a command (core.fsmonitor).
  const gitLike = [
    ".git/config",
    ".GIT/config",
    ".Git/HEAD",
    ".git",
    "src/.git/config",
    ".git./config",
    ".git /config",
    ".git. . /x",
    ".git::$INDEX_ALLOCATION/config",
    "GIT~1/config",
    ".g\u200cit/config",
    "\ufeff.git/hooks/pre-commit",
    "a/.GiT",
  ];
  for (const bad of gitLike) {
    it(`refuses ${JSON.stringify(bad)}, which some file system takes for .git`, () =>
      assert.throws(() => assertSafeRelativePath(bad), /into a \.git folder/));
  }
  for (const bad of ["...", ".. /x", "a/. /b"]) {
    it(`refuses ${JSON.stringify(bad)}, a dot segment once Windows drops trailing dots and spaces`, () =>
      assert.throws(() => assertSafeRelativePath(bad), UsageError));
  }
  for (const fine of [".gitignore", ".github/workflows/ci.yml", ".gitattributes", "git/x", "src/.gitkeep", "_git"]) {
    it(`accepts ${JSON.stringify(fine)}`, () => assert.doesNotThrow(() => assertSafeRelativePath(fine)));
  }
  for (const bad of ["evil\nname.txt", "src/\u001b[2Jx.ts", "rlo\u202etxt.js", "tab\there"]) {
    it(`refuses ${JSON.stringify(bad)}: no control character in a file name`, () =>
      assert.throws(() => assertSafeRelativePath(bad), /may not contain the control character/));
  }
  it("outputPath turns a pack's _git folder into .git, which is then refused", () => {
    assert.throws(() => assertSafeRelativePath(outputPath("_git/config")), /\.git folder/);
    assert.throws(() => assertSafeRelativePath(outputPath("_GIT/config.hbs")), /\.git folder/);
  });
});

describe("renderPlan", () => {
  const data = { name: "x" } as unknown as TemplateData;
  const file = (path: string, text: string) => ({ path, layer: "pack", contents: Buffer.from(text) });
  it("renders .hbs files, copies others byte for byte, and normalises package.json", async () => {
    const binary = Buffer.from([0, 1, 2, 255]);
    const files = await renderPlan(
      {
        files: [file("package.json.hbs", '{"name": {{json name}},   "x": 1}'), { path: "logo.png", layer: "base", contents: binary }],
        partials: new Map(),
      },
      data,
    );
    assert.equal(files[0]?.contents.toString(), '{\n  "name": "x",\n  "x": 1\n}\n');
    assert.deepEqual(files[1]?.contents, binary);
    assert.equal(files[1]?.source, "base/logo.png");
  });
  it("refuses a package.json template that renders invalid JSON", async () => {
    await assert.rejects(renderPlan({ files: [file("package.json.hbs", '{"a": 1,}')], partials: new Map() }, data), /did not render valid JSON/);
  });
  it("refuses a template path that would leave the package", async () => {
    await assert.rejects(renderPlan({ files: [file("../escape.hbs", "x")], partials: new Map() }, data), UsageError);
  });
});
