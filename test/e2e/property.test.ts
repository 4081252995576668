/**
 * Property-based: at least 1,000 hostile names, descriptions and option values (fast-check), each either
 * refused as a usage error naming the problem, or rendered by the library (from src/) into a package whose every
 * TypeScript file parses (esbuild), every JSON file parses, whose package.json holds the values exactly,
 * whose README shows them (its Markdown escaping undone gives the text back) and, for the hand-written
 * schema, whose options module really defaults to the values given. test/integration/property-sample.test.ts
 * type-checks and runs the tests of a sample of such packages.
 *
 * FC_SEED=<n> replays a run; FC_RUNS=<n> scales every property.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { transform } from "esbuild";
import fc from "fast-check";
import { planMiddlewarePackage, type PackagePlan } from "../../src/create.js";
import { resolveAnswers } from "../../src/answers/resolve-answers.js";
import { UsageError } from "../../src/errors.js";
import { forbiddenCharacter } from "../../src/answers/text-rules.js";

const cwd = mkdtempSync(path.join(os.tmpdir(), "cm-property-"));
after(() => rmSync(cwd, { recursive: true, force: true }));

const SCALE = Number(process.env.FC_RUNS ?? 1) || 1;
const settings = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Math.round(numRuns * SCALE),
  includeErrorInReport: true,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
});
const ENVIRONMENT = { author: 'Ann "# Lee" `x` */', year: 2026 };
const SCHEMAS = ["none", "zod", "valibot", "typebox", "joi"] as const;
const TARGETS = ["express", "socket.io"] as const;

/** Pieces that break naive escaping in TS, JSON, Markdown, YAML, comments, shells and regexes. */
const FRAGMENTS = [
  '"',
  "'",
  "`",
  "\\",
  "*/",
  "/*",
  "//",
  "${x}",
  "${",
  "}",
  "{{x}}",
  "}}",
  "</script>",
  "<!--",
  "-->",
  "<b>",
  "&amp;",
  "|",
  "||",
  "[x](javascript:alert(1))",
  "*",
  "**",
  "_",
  "#",
  "# ",
  "> ",
  "- ",
  "1. ",
  "~~",
  "$&",
  "$1",
  "%s",
  "__proto__",
  "constructor",
  "toString",
  "prototype",
  "\u00e9",
  "\u{1F600}",
  "\u200d",
  "\u00a0",
  "\uFEFF",
  "\u2028",
  "\u202e",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\t",
  "\n",
  "\r\n",
  "\ud800",
  " ",
  "   ",
  "'; rm -rf / #",
  "$(touch x)",
  "\\u0041",
  "\\n",
  "@",
  "/",
  "..",
  "../",
  "C:\\",
  "null",
  "true",
  "0x10",
  "-0",
  "1e999",
  "NaN",
  ":",
  "=",
  ",",
  "|a|",
  "🏳️‍🌈",
];

/** Free text mixing the fragments with arbitrary Unicode. */
const hostileText = (maxPieces = 8) =>
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }), fc.string({ unit: "binary", maxLength: 3 })), {
      maxLength: maxPieces,
    })
    .map((pieces) => pieces.join(""));

/** Undoes the Markdown escaping of the md helper: `\*` -> `*`. */
const unescapeMarkdown = (text: string) => text.replace(/\\(.)/g, "$1");

/**
 * The Default cell of the README's options table for `name`, read back as the value it shows: a JavaScript
 * literal as Biome prints one (a string with more `"` than `'` in single quotes), so evaluated, not JSON-parsed.
 */
function readmeDefault(readme: string, name: string): unknown {
  const line = readme.split("\n").find((row) => row.startsWith(`| \`${name}\` |`));
  assert.ok(line, `README has a row for ${name}`);
  const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
  const fenced = /^(`+) ?([\s\S]*?) ?\1$/.exec(cells[3] ?? "");
  assert.ok(fenced, `the default of ${name} is a code span: ${cells[3]}`);
  return new Function(`return (${fenced[2]!.replace(/\\\|/g, "|")});`)();
}

const text = (plan: PackagePlan, file: string) => {
  const found = plan.files.find((entry) => entry.path === file);
  assert.ok(found, `${file} is planned`);
  return found.contents.toString("utf8");
};

/** What holds for every package: TS parses, JSON parses, package.json and README hold the values. */
async function checkPlan(plan: PackagePlan): Promise<void> {
  for (const file of plan.files) {
    const source = file.contents.toString("utf8");
    if (file.path.endsWith(".ts")) {
      await transform(source, { loader: "ts", sourcefile: file.path, logLevel: "silent" }).catch((error: Error) => {
        throw new Error(`${file.path} does not parse: ${error.message}\n${source}`);
      });
    }
    if (file.path.endsWith(".json")) assert.doesNotThrow(() => JSON.parse(source), `${file.path} is JSON`);
  }
  const manifest = JSON.parse(text(plan, "package.json")) as { name: string; description?: string };
  assert.equal(manifest.name, plan.answers.packageName);
  // Without a description the package gets a generic one; with one, exactly that.
  if (plan.answers.description !== "") assert.equal(manifest.description, plan.answers.description);
  else assert.equal(typeof (manifest.description ?? ""), "string");
  const readme = text(plan, "README.md");
  if (plan.answers.description.trim() !== "") {
    assert.ok(
      unescapeMarkdown(readme).includes(plan.answers.description),
      `README shows the description ${JSON.stringify(plan.answers.description)}`,
    );
  }
  for (const field of plan.data.fields) {
    if (field.hasDefault) assert.deepEqual(readmeDefault(readme, field.name), field.defaultValue, `README shows the default of ${field.name}`);
  }
}

/** The hand-written schema's options module, compiled and loaded: its defaults must be the values given. */
async function checkDefaults(plan: PackagePlan): Promise<void> {
  if (plan.answers.schema !== "none") return;
  const { code } = await transform(text(plan, "src/options.ts"), { loader: "ts", format: "esm" });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as {
    parseSettings: (input: unknown, known: readonly string[]) => Record<string, unknown>;
  };
  const settings = module.parseSettings(undefined, plan.data.optionNames);
  for (const field of plan.data.fields) {
    if (field.hasDefault) assert.deepEqual(settings[field.name], field.defaultValue, `the default of ${field.name}`);
  }
}

let rendered = 0;
let refused = 0;

/** Resolves like the CLI does without a TTY; a refusal must be a UsageError, anything else fails the property. */
async function resolveOrRefuse(flags: Parameters<typeof resolveAnswers>[0]): Promise<Awaited<ReturnType<typeof resolveAnswers>> | undefined> {
  try {
    return await resolveAnswers({ install: false, git: false, ...flags }, { cwd });
  } catch (error) {
    assert.ok(error instanceof UsageError, `a refusal is a usage error, not ${String(error)}`);
    assert.ok(!/Cannot read properties|is not a function|undefined/.test(error.message), error.message);
    refused += 1;
    return undefined;
  }
}

async function renderAndCheck(answers: Awaited<ReturnType<typeof resolveAnswers>>): Promise<void> {
  const plan = await planMiddlewarePackage(answers, { environment: ENVIRONMENT, cwd });
  await checkPlan(plan);
  await checkDefaults(plan);
  rendered += 1;
}

describe("hostile input, property-based", () => {
  it("descriptions: refused when they hold a control character or run long, else reach every file intact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: hostileText(10) }, { weight: 1, arbitrary: fc.string({ minLength: 495, maxLength: 505 }) }),
        fc.constantFrom(...TARGETS),
        fc.constantFrom(...SCHEMAS),
        async (description, target, schema) => {
          const answers = await resolveOrRefuse({ directory: "described", description, target, schema });
          const shouldRefuse = forbiddenCharacter(description) !== undefined || description.length > 500;
          assert.equal(answers === undefined, shouldRefuse, `refused iff it holds a control character or is long: ${JSON.stringify(description)}`);
          if (answers) await renderAndCheck(answers);
        },
      ),
      settings(400),
    );
  });

  it("names: a scoped or plain name is refused as a usage error, or gives identifiers that parse", async () => {
    const npmish = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,30}$/);
    const name = fc.oneof(
      npmish,
      fc.tuple(npmish, npmish).map(([scope, bare]) => `@${scope}/${bare}`),
      fc.constantFrom("constructor", "__proto__", "delete", "404", "class", "x--y", "a.b", "undefined", "my-Logger", "@/x", "@a/b/c", "-x", "~x"),
      hostileText(4),
    );
    await fc.assert(
      fc.asyncProperty(name, fc.constantFrom(...TARGETS), async (directory, target) => {
        const answers = await resolveOrRefuse({ directory: directory.startsWith("-") ? `./${directory}` : directory, target });
        if (answers) {
          // A path that says where to go (`../my-logger`, `..`, `/tmp/x`) is the user's choice, and the writer
          // refuses a non-empty folder; any other name must stay below the current folder.
          const explicitPath = path.isAbsolute(directory) || directory.split(/[\\/]/).includes("..");
          const relative = path.relative(cwd, answers.directory);
          const leaves = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
          if (!explicitPath) assert.ok(!leaves, `a name never leads out of the current folder: ${JSON.stringify(directory)}`);
          await renderAndCheck(answers);
        }
      }),
      settings(300),
    );
  });

  it("option values: any spec is refused as a usage error or gives code that parses and defaults to the values", async () => {
    const identifier = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,12}$/);
    const member = hostileText(3)
      .map((value) => value.replace(/[|=]/g, "").trim())
      .filter((value) => value !== "");
    const spec = fc.oneof(
      fc.tuple(identifier, hostileText(6)).map(([name, value]) => `${name}:string=${value}`),
      fc.tuple(identifier, hostileText(4)).map(([name, value]) => `${name}:string[]=${value}`),
      fc.tuple(identifier, fc.oneof(fc.double().map(String), hostileText(2))).map(([name, value]) => `${name}:number=${value}`),
      fc.tuple(identifier, fc.constantFrom("true", "false", "yes", "")).map(([name, value]) => `${name}:boolean=${value}`),
      fc
        .tuple(identifier, fc.uniqueArray(member, { minLength: 1, maxLength: 4 }), fc.nat())
        .map(([name, values, pick]) => `${name}:${values.join("|")}=${values[pick % values.length]}`),
      fc.tuple(fc.constant("header"), hostileText(3)).map(([name, value]) => `${name}:string=${value}`),
      hostileText(5),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...TARGETS),
        fc.constantFrom(...SCHEMAS),
        async (option, target, schema) => {
          const answers = await resolveOrRefuse({ directory: "optioned", option, target, schema });
          if (answers) await renderAndCheck(answers);
        },
      ),
      settings(300),
    );
  });

  it("covered at least 1,000 hostile values, both refused and rendered", (t) => {
    t.diagnostic(`rendered ${rendered}, refused ${refused}`);
    assert.ok(rendered + refused >= 1_000 * SCALE - 1, `${rendered + refused} values`);
    assert.ok(rendered > 100 && refused > 100, "both sides of every property are exercised");
  });
});
