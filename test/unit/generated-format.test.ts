/**
 * Generated files are as the package's own Biome formats them, whatever the package name: the files
 * FORMATTED lists (test/helpers/generated-format.ts), rendered in memory for every target x starter x schema,
 * are formatted by this repository's Biome, the version the generated package pins, with the generated
 * biome.jsonc. Nothing may change.
 *
 * This fast-tier check takes a dozen names: the shortest and longest of each kind and a seeded sample
 * (FORMAT_SEED=<n> draws others; the failure message names the seed). test/integration/generated-format.test.ts
 * sweeps every length from 1 to 70. Where a name makes a line long, the template gives each layout Biome
 * could print and `{{#fits}}` picks the one it would (templates/base/_partials/cts-alias.hbs).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { FITS_WIDTH } from "../../src/render/render.js";
import { CHECK_TOOLS, TARGETS } from "../../src/tables/targets.js";
import { REPO, tempDir } from "../helpers/cli.js";
import { startersFor } from "../../src/tables/starters.js";
import { biomeChanges, FORMATTED, PENDING, sampleNames } from "../helpers/generated-format.js";

const SEED = Number(process.env.FORMAT_SEED ?? 27);
const NAMES = sampleNames(12, SEED);

describe("generated files as the package's Biome formats them", () => {
  let work: { path: string; remove: () => Promise<void> };
  before(async () => {
    work = await tempDir("cm-format-");
  });
  after(() => work?.remove());

  it("the repository's Biome is the one generated packages pin, and {{#fits}} measures their line width", async () => {
    const installed = JSON.parse(await readFile(path.join(REPO, "node_modules", "@biomejs", "biome", "package.json"), "utf8")).version;
    assert.equal(CHECK_TOOLS.biome, `@biomejs/biome@${installed}`);
    const config = await readFile(path.join(REPO, "templates", "base", "biome.jsonc.hbs"), "utf8");
    assert.equal(Number(/"lineWidth": (\d+)/.exec(config)?.[1]), FITS_WIDTH);
  });

  it("the sample holds a dozen distinct names, the shortest and the longest among them", () => {
    assert.equal(new Set(NAMES).size, 12);
    assert.ok(NAMES.some((name) => name.length === 1) && NAMES.some((name) => name.length === 70));
  });

  it("the starters whose tests are not checked yet (PENDING) exist, and only files the sweep knows are left out", () => {
    const starters = TARGETS.flatMap((target) => startersFor(target).map((starter) => `${target}/${starter}`));
    for (const [starter, files] of Object.entries(PENDING)) {
      assert.ok(starters.includes(starter), `${starter} is a starter`);
      for (const file of files) assert.ok(FORMATTED.includes(file), `${file} is in FORMATTED`);
    }
  });

  it(`Biome changes nothing in ${FORMATTED.join(", ")} for a sample of names (seed ${SEED}), every target, starter and schema`, async () => {
    const { changed, checked } = await biomeChanges(work.path, NAMES);
    assert.ok(checked >= FORMATTED.length, "files were rendered");
    assert.deepEqual(
      changed.slice(0, 5),
      [],
      `Biome reformats ${changed.length} of ${checked} distinct files (FORMAT_SEED=${SEED}; names: ${NAMES.join(" ")})`,
    );
  });
});
