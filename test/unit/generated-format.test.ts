/**
 * Generated files are as the package's own Biome formats them, whatever the package name: for names of
 * every length from 1 to 70 (scoped and unscoped) and every target x starter x schema, the files rendered
 * in memory are written once each (deduplicated) and this repository's Biome, the version the generated
 * package pins, formats them with the generated biome.jsonc. Nothing may change.
 *
 * FORMATTED lists the files this holds for. Where a name makes a line long, the template gives each layout
 * Biome could print and `{{#fits}}` picks the one it would (templates/base/_partials/cts-alias.hbs).
 * Not yet in the list: src/index.ts and test/*.test.ts, which Biome still rewrites; the generated `lint`
 * script checks formatting once every file is here.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import Handlebars from "handlebars";
import type { Answers } from "../../src/answers/answers.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import compileOptions from "../../src/render/compile-options.json" with { type: "json" };
import { normalizePackageJson, outputPath } from "../../src/render/plan.js";
import { createRenderer, FITS_WIDTH } from "../../src/render/render.js";
import { templateData } from "../../src/render/template-data.js";
import { BUILTIN_TEMPLATES, layerLevels, loadTemplateSet, type TemplateFile, type TemplateSet } from "../../src/render/template-source.js";
import { SCHEMAS, type Schema } from "../../src/tables/schemas.js";
import { startersFor } from "../../src/tables/starters.js";
import { CHECK_TOOLS, TARGETS, type Target } from "../../src/tables/targets.js";
import { REPO, tempDir } from "../helpers/cli.js";

/** The generated files Biome must leave as they are. */
const FORMATTED = [
  "biome.jsonc",
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "test/consumers.ts",
  "test/types.ts",
  "src/index.cts",
  "src/store.ts",
  "src/ipv6.ts",
  "src/options.ts",
  "example/server.ts",
];

const CUSTOM = ["level:info|debug=info", "maxItems:number=10", "tags:string[]", "verbose:boolean", "label:string=it's"];
const LENGTHS = Array.from({ length: 70 }, (_, index) => index + 1);
const SYLLABLES = "ab-cd-ef-gh-ij-kl-mn-op-qr-st-uv-wx-yz-".repeat(3);

/** Unscoped names of each length, half of them hyphenated (shorter identifiers), and scoped ones. */
function names(): string[] {
  const unscoped = LENGTHS.map((length) => (length % 2 ? "m".repeat(length) : SYLLABLES.slice(0, length).replace(/-$/, "x")));
  const scoped = LENGTHS.filter((length) => length >= 4).map((length) => `@s/${"w".repeat(length - 3)}`);
  return [...unscoped, ...scoped];
}

const HANDLEBARS_OPTIONS = {
  noEscape: compileOptions.noEscape,
  strict: compileOptions.strict,
  knownHelpersOnly: compileOptions.knownHelpersOnly,
  knownHelpers: { ...compileOptions.knownHelpers, ...Object.fromEntries(compileOptions.removedBuiltIns.map((name) => [name, false])) },
};

// Precompiled once per template, as the build does, so thousands of renders need only Handlebars' runtime.
const compiled = new Map<string, object>();
function precompiled(file: TemplateFile): TemplateFile {
  if (!file.path.endsWith(".hbs")) return file;
  const key = `${file.layer}/${file.path}`;
  if (!compiled.has(key)) {
    const source = Handlebars.precompile(file.contents.toString("utf8"), HANDLEBARS_OPTIONS);
    compiled.set(key, new Function(`return ${source}`)() as object);
  }
  return { ...file, compiled: compiled.get(key)! };
}

function templateSet(target: Target, schema: Schema, starter: string): TemplateSet {
  const layers = layerLevels({ target, schema, starter }).map((level) => ({ name: level, root: path.join(BUILTIN_TEMPLATES, ...level.split("/")) }));
  const set = loadTemplateSet(layers);
  return { files: set.files.map(precompiled), partials: new Map([...set.partials].map(([name, file]) => [name, precompiled(file)])) };
}

function answers(packageName: string, target: Target, schema: Schema, starter: string, fields: string[] | undefined): Answers {
  return {
    directory: path.resolve("/tmp/never-written", packageName),
    packageName,
    target,
    schema,
    starter,
    description: "Formats as Biome does",
    fields: fields?.map(parseOptionSpec),
    packageManager: "npm",
    install: false,
    git: false,
  };
}

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

  it(`Biome changes nothing in ${FORMATTED.join(", ")} for any name length, target, starter and schema`, async () => {
    const written = new Map<string, { file: string; contents: string; where: string }>();
    let biomeConfig = "";
    const environment = { author: "Ada Lovelace", year: 2026 };
    for (const target of TARGETS) {
      for (const starter of startersFor(target)) {
        for (const schema of SCHEMAS) {
          const set = templateSet(target, schema, starter);
          const renderer = await createRenderer(set);
          const checked = set.files.filter((file) => [...FORMATTED, "biome.jsonc"].includes(outputPath(file.path)));
          for (const fields of [undefined, CUSTOM]) {
            if (fields && starter !== startersFor(target)[0]) continue;
            for (const name of names()) {
              const data = templateData(answers(name, target, schema, starter, fields), environment);
              for (const file of checked) {
                const output = outputPath(file.path);
                const rendered = file.path.endsWith(".hbs") ? renderer.render(file, data) : file.contents.toString("utf8");
                const contents = output === "package.json" ? normalizePackageJson(rendered, output) : rendered;
                if (output === "biome.jsonc") {
                  biomeConfig = contents;
                  continue;
                }
                const hash = createHash("sha256").update(output).update("\0").update(contents).digest("hex").slice(0, 16);
                if (written.has(hash)) continue;
                written.set(hash, {
                  file: path.join(hash, output),
                  contents,
                  where: `${name} ${target} ${starter} ${schema}${fields ? " -o …" : ""}: ${output}`,
                });
              }
            }
          }
        }
      }
    }
    for (const { file, contents } of written.values()) {
      await mkdir(path.dirname(path.join(work.path, file)), { recursive: true });
      await writeFile(path.join(work.path, file), contents);
    }
    // The generated configuration (the same for every package) at the root, where Biome formats it too.
    await writeFile(path.join(work.path, "biome.jsonc"), biomeConfig);
    written.set("biome.jsonc", { file: "biome.jsonc", contents: biomeConfig, where: "biome.jsonc" });
    const biome = path.join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");
    await promisify(execFile)(process.execPath, [biome, "format", "--write", "--no-errors-on-unmatched", "--max-diagnostics=0", "."], {
      cwd: work.path,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`biome format failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    });
    const changed: string[] = [];
    for (const { file, contents, where } of written.values()) {
      const formatted = await readFile(path.join(work.path, file), "utf8");
      if (formatted !== contents) changed.push(`${where}\n${firstDifference(contents, formatted)}`);
    }
    assert.ok(written.size >= FORMATTED.length, "files were rendered");
    assert.deepEqual(changed.slice(0, 5), [], `Biome reformats ${changed.length} of ${written.size} distinct files`);
  });
});

/** The first line that differs, before and after formatting. */
function firstDifference(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const index = a.findIndex((line, at) => line !== b[at]);
  return `line ${index + 1}:\n- ${a[index]}\n+ ${b[index]}`;
}
