/**
 * Renders generated files in memory, for many package names and every target x starter x schema, with the
 * starter's fields and with -o fields, and runs this repository's Biome (the version generated packages pin)
 * over them with the generated biome.jsonc: which files would its formatter change, and what does its linter
 * report? test/unit/generated-format.test.ts asks it for a dozen names around the widths where layouts
 * switch, test/integration/generated-format.test.ts for every length from 1 to 70.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import Handlebars from "handlebars";
import { ANSWERS_FILE } from "../../src/answers/answers-file.js";
import type { Answers } from "../../src/answers/answers.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import { planMiddlewarePackage } from "../../src/create.js";
import compileOptions from "../../src/render/compile-options.json" with { type: "json" };
import { normalizePackageJson, outputPath } from "../../src/render/plan.js";
import { createRenderer } from "../../src/render/render.js";
import { templateData } from "../../src/render/template-data.js";
import { BUILTIN_TEMPLATES, layerLevels, loadTemplateSet, type TemplateFile, type TemplateSet } from "../../src/render/template-source.js";
import { SCHEMAS, type Schema } from "../../src/tables/schemas.js";
import { startersFor } from "../../src/tables/starters.js";
import { TARGETS, type Target } from "../../src/tables/targets.js";
import { REPO } from "./cli.js";

/** The generated files Biome must leave as they are and lint without a word: every TypeScript and JSON file. */
export const FORMATTED = [
  "biome.jsonc",
  ".create-middleware.json",
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "test/consumers.ts",
  "test/types.ts",
  "src/index.ts",
  "src/index.cts",
  "src/store.ts",
  "src/ipv6.ts",
  "src/options.ts",
  "example/server.ts",
  "example/client.ts",
  "test/express4.d.ts",
  "test/options.test.ts",
  "test/schema.test.ts",
  "test/example.test.ts",
  "test/middleware.test.ts",
];

/** Whether the sweep checks this output file (the generated biome.jsonc always: it is the configuration). */
function checks(files: readonly string[], output: string): boolean {
  return output === "biome.jsonc" || files.includes(output);
}

const CUSTOM = ["level:info|debug=info", "maxItems:number=10", "tags:string[]", "verbose:boolean", "label:string=it's"];
/** More -o fields, for an answers file whose options list no longer fits one line. */
const LONG_CUSTOM = ["format:json|text=json", "prefix:string", "retries:number=3"];
const SYLLABLES = "ab-cd-ef-gh-ij-kl-mn-op-qr-st-uv-wx-yz-".repeat(3);

/**
 * Package names of the given lengths: unscoped ones (at odd lengths one letter repeated, at even lengths
 * hyphenated, so shorter identifiers) and, from length 4, scoped ones.
 */
export function namesOfLengths(lengths: readonly number[]): string[] {
  const unscoped = lengths.map((length) => (length % 2 ? "m".repeat(length) : SYLLABLES.slice(0, length).replace(/-$/, "x")));
  const scoped = lengths.filter((length) => length >= 4).map((length) => `@s/${"w".repeat(length - 3)}`);
  return [...unscoped, ...scoped];
}

/** Every name the sweep checks: lengths 1 to 70, scoped and unscoped (137 names). */
export const ALL_NAMES = namesOfLengths(Array.from({ length: 70 }, (_, index) => index + 1));

/**
 * `count` of ALL_NAMES, always the shortest and the longest of each kind, the rest drawn with a small
 * seeded generator (mulberry32): the same names for the same seed, so a failure can be replayed.
 */
export function sampleNames(count: number, seed: number): string[] {
  const fixed = ["m", "m".repeat(69), "@s/w", `@s/${"w".repeat(67)}`];
  const rest = ALL_NAMES.filter((name) => !fixed.includes(name));
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const picked: string[] = [];
  while (picked.length < count - fixed.length && rest.length > 0) picked.push(...rest.splice(Math.floor(random() * rest.length), 1));
  return [...fixed, ...picked];
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

interface Rendered {
  file: string;
  contents: string;
  where: string;
}

/** Every distinct rendering of the files, for each name and combination, with the starter's fields and with -o fields. */
async function renderAll(names: readonly string[], files: readonly string[]): Promise<{ written: Map<string, Rendered>; biomeConfig: string }> {
  const written = new Map<string, Rendered>();
  const add = (output: string, contents: string, where: string) => {
    const hash = createHash("sha256").update(output).update("\0").update(contents).digest("hex").slice(0, 16);
    if (!written.has(hash)) written.set(hash, { file: path.join(hash, output), contents, where: `${where}: ${output}` });
  };
  let biomeConfig = "";
  const environment = { author: "Ada Lovelace", year: 2026 };
  for (const target of TARGETS) {
    for (const starter of startersFor(target)) {
      for (const schema of SCHEMAS) {
        const set = templateSet(target, schema, starter);
        const renderer = await createRenderer(set);
        const checked = set.files.filter((file) => checks(files, outputPath(file.path)));
        for (const fields of [undefined, CUSTOM]) {
          for (const name of names) {
            const data = templateData(answers(name, target, schema, starter, fields), environment);
            for (const file of checked) {
              const output = outputPath(file.path);
              const rendered = file.path.endsWith(".hbs") ? renderer.render(file, data) : file.contents.toString("utf8");
              const contents = output === "package.json" ? normalizePackageJson(rendered, output) : rendered;
              if (output === "biome.jsonc") biomeConfig = contents;
              else add(output, contents, `${name} ${target} ${starter} ${schema}${fields ? " -o …" : ""}`);
            }
          }
        }
      }
    }
  }
  // The answers file the CLI writes beside the templates' files: its layout depends on the name and the -o specs.
  if (files.includes(ANSWERS_FILE)) {
    for (const fields of [undefined, CUSTOM, [...CUSTOM, ...LONG_CUSTOM]]) {
      for (const name of names) {
        const plan = await planMiddlewarePackage(answers(name, "socket.io", "zod", "logger", fields), { environment });
        const file = plan.files.find((planned) => planned.path === ANSWERS_FILE);
        add(ANSWERS_FILE, file?.contents.toString("utf8") ?? "", `${name} socket.io logger zod${fields ? ` -o ×${fields.length}` : ""}`);
      }
    }
  }
  return { written, biomeConfig };
}

const biome = path.join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");

async function runBiome(work: string, args: string[]): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return promisify(execFile)(process.execPath, [biome, ...args], {
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, failed: false }),
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "", failed: true }),
  );
}

/**
 * Renders `files` for every name and combination into `work` (each distinct file once), lints them and
 * formats them with Biome and the generated biome.jsonc, and says which changed (where each came from and its
 * first changed line) and what the linter reported (the rule, where it came from and the message).
 */
export async function biomeChanges(
  work: string,
  names: readonly string[],
  files: readonly string[] = FORMATTED,
): Promise<{ changed: string[]; diagnostics: string[]; checked: number }> {
  const { written, biomeConfig } = await renderAll(names, files);
  for (const { file, contents } of written.values()) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), contents);
  }
  // The generated configuration (the same for every package) at the root, where Biome formats it too.
  await writeFile(path.join(work, "biome.jsonc"), biomeConfig);
  written.set("biome.jsonc", { file: "biome.jsonc", contents: biomeConfig, where: "biome.jsonc" });

  // Every diagnostic, warnings and infos too, one `::<severity> title=<rule>,file=<path>,...::<message>` line each.
  const lint = await runBiome(work, [
    "lint",
    "--reporter=github",
    "--diagnostic-level=info",
    "--max-diagnostics=none",
    "--no-errors-on-unmatched",
    ".",
  ]);
  const where = new Map([...written.values()].map((rendered) => [path.join(work, rendered.file), rendered.where]));
  const diagnostics = [...lint.stdout.matchAll(/^::(\w+) title=([^,]+),file=([^,]+),line=(\d+)[^:]*::(.*)$/gm)].map(
    ([, severity, rule, file, line, message]) => `${where.get(path.resolve(work, file!)) ?? file} line ${line}: ${severity} ${rule}: ${message}`,
  );
  if (lint.failed && diagnostics.length === 0) throw new Error(`biome lint failed:\n${lint.stdout}${lint.stderr}`);

  const format = await runBiome(work, ["format", "--write", "--no-errors-on-unmatched", "--max-diagnostics=0", "."]);
  if (format.failed) throw new Error(`biome format failed:\n${format.stdout}${format.stderr}`);
  const changed: string[] = [];
  for (const { file, contents, where } of written.values()) {
    const formatted = await readFile(path.join(work, file), "utf8");
    if (formatted !== contents) changed.push(`${where}\n${firstDifference(contents, formatted)}`);
  }
  return { changed, diagnostics, checked: written.size };
}

/** The first line that differs, before and after formatting. */
function firstDifference(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const index = a.findIndex((line, at) => line !== b[at]);
  return `line ${index + 1}:\n- ${a[index]}\n+ ${b[index]}`;
}
