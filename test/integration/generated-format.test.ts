/**
 * The sweep behind test/unit/generated-format.test.ts: the files FORMATTED lists, rendered for package
 * names of every length from 1 to 70 (scoped and unscoped, 137 names) and every target x starter x schema,
 * are as the package's own Biome formats them. No network; it is here for its cost (tens of seconds of CPU).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tempDir } from "../helpers/cli.js";
import { ALL_NAMES, biomeChanges, FORMATTED } from "../helpers/generated-format.js";

describe("generated files as the package's Biome formats them, every name length", () => {
  let work: { path: string; remove: () => Promise<void> };
  before(async () => {
    work = await tempDir("cm-format-all-");
  });
  after(() => work?.remove());

  it(`Biome changes nothing and its linter reports nothing in ${FORMATTED.join(", ")} for names of 1 to 70 characters`, async () => {
    assert.equal(ALL_NAMES.length, 137);
    const { changed, diagnostics, checked } = await biomeChanges(work.path, ALL_NAMES);
    assert.ok(checked >= FORMATTED.length, "files were rendered");
    assert.deepEqual(changed.slice(0, 5), [], `Biome reformats ${changed.length} of ${checked} distinct files`);
    assert.deepEqual(diagnostics.slice(0, 5), [], `Biome's linter reports ${diagnostics.length} diagnostics`);
  });
});
