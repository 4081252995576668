import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchesAnyGlob } from "../../src/packs/glob.js";
import { validateManifest } from "../../src/packs/manifest.js";

describe("pack.json globs (exclude, skipIfExists)", () => {
  it("match paths in the package as documented", () => {
    const cases: [string, string, boolean][] = [
      ["src/index.ts", "src/index.ts", true],
      ["src/*.ts", "src/index.ts", true],
      ["src/*.ts", "src/a/index.ts", false],
      ["src/**/*.ts", "src/a/b/index.ts", true],
      ["src/**/*.ts", "src/index.ts", true],
      ["example/**", "example/server.ts", true],
      ["*.md", "docs/guide.md", true],
      ["README.md", "docs/README.md", true],
      ["/README.md", "docs/README.md", false],
      ["file?.txt", "file1.txt", true],
      ["a.b", "aXb", false],
    ];
    for (const [glob, file, expected] of cases) assert.equal(matchesAnyGlob([glob], file), expected, `${glob} ~ ${file}`);
  });

  it("are checked in pack.json: a list of relative paths, bounded", () => {
    const options = { file: "pack.json", cliVersion: "1.0.0", targets: ["express"], schemas: ["none"] };
    assert.deepEqual(validateManifest({ exclude: ["docs/**"], skipIfExists: ["src/index.ts"] }, options), {
      questions: [],
      exclude: ["docs/**"],
      skipIfExists: ["src/index.ts"],
    });
    assert.throws(() => validateManifest({ exclude: "docs/**" }, options), /exclude must be an array/);
    assert.throws(() => validateManifest({ skipIfExists: ["../x"] }, options), /must be a path inside the package/);
    assert.throws(() => validateManifest({ exclude: Array.from({ length: 101 }, () => "x") }, options), /at most 100/);
  });
});
