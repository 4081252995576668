/**
 * biomeJson (src/answers/json-layout.ts) lays JSON out as the generated package's Biome does: values of many
 * shapes (seeded), at several line widths, written by it and formatted by this repository's Biome (the
 * version generated packages pin). Biome must change none.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { biomeJson, JSON_LINE_WIDTH } from "../../src/answers/json-layout.js";
import { REPO, tempDir } from "../helpers/cli.js";

const BIOME = path.join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");

/** A seeded generator (mulberry32), so a failing value can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 5 : 9));
  const count = () => Math.floor(random() * (random() < 0.2 ? 40 : 6));
  const word = () => "abcdefghij-:|=,'\"".repeat(4).slice(0, 1 + Math.floor(random() * 30));
  switch (pick) {
    case 0:
      return word();
    case 1:
      return Math.floor(random() * 100000) - 500;
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: count() }, () => Math.floor(random() * 10 ** Math.floor(random() * 8)));
    case 5:
    case 6:
      return Array.from({ length: count() }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: count() }, (_, index) => [`${word()}${index}`, randomValue(random, depth + 1)]));
  }
}

describe("biomeJson", () => {
  let work: { path: string; remove: () => Promise<void> };
  before(async () => {
    work = await tempDir("cm-json-layout-");
  });
  after(() => work?.remove());

  it("writes what JSON.stringify writes, laid out: the same value parses back", () => {
    const value = { a: [1, 2], b: { c: ["x"] }, d: [], e: {}, f: [{ g: null }] };
    assert.deepEqual(JSON.parse(biomeJson(value)), value);
    assert.equal(biomeJson({ options: ["a:string", "b:number"], vars: {} }), '{\n  "options": ["a:string", "b:number"],\n  "vars": {}\n}\n');
  });

  it("the width is the generated biome.jsonc's lineWidth", async () => {
    const config = await readFile(path.join(REPO, "templates", "base", "biome.jsonc.hbs"), "utf8");
    assert.equal(Number(/"lineWidth": (\d+)/.exec(config)?.[1]), JSON_LINE_WIDTH);
  });

  for (const lineWidth of [40, 80, JSON_LINE_WIDTH]) {
    it(`Biome changes nothing in 300 seeded values at line width ${lineWidth}`, async () => {
      const random = generator(lineWidth);
      const files: { file: string; text: string }[] = [];
      for (let index = 0; index < 300; index++) {
        const value = { answers: randomValue(random, 0), list: randomValue(random, 1) };
        files.push({ file: path.join(work.path, `w${lineWidth}-${index}.json`), text: biomeJson(value, lineWidth) });
      }
      for (const { file, text } of files) await writeFile(file, text);
      await promisify(execFile)(
        process.execPath,
        [BIOME, "format", "--write", `--line-width=${lineWidth}`, "--indent-style=space", ...files.map(({ file }) => path.basename(file))],
        { cwd: work.path, maxBuffer: 64 * 1024 * 1024 },
      );
      const changed: string[] = [];
      for (const { file, text } of files) {
        const formatted = await readFile(file, "utf8");
        if (formatted !== text) changed.push(`${path.basename(file)}:\n${text}\n---\n${formatted}`);
      }
      assert.deepEqual(changed.slice(0, 2), [], `${changed.length} of ${files.length} reformatted`);
    });
  }
});
