/**
 * The built-in templates: they parse, free text only reaches files through context helpers, every
 * target x schema renders the shape every generated package has, and what must not differ between schemas does not.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import Handlebars from "handlebars";
import type { Answers } from "../../src/answers/answers.js";
import { SCHEMAS, type Schema } from "../../src/tables/schemas.js";
import { defaultStarter, startersFor, type Starter } from "../../src/tables/starters.js";
import { TARGETS, type Target } from "../../src/tables/targets.js";
import { NODE_ENGINE } from "../../src/tables/node-lines.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import { BUILTIN_TEMPLATES } from "../../src/render/template-source.js";

const NASTY = 'it\'s "quoted" */ ${x} `tick`';
const FREE_TEXT = new Set(["description", "author"]);

async function templateFiles(): Promise<string[]> {
  const entries = await readdir(BUILTIN_TEMPLATES, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".hbs")).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Mustaches that print a free-text value without a helper: `{{description}}`, `{{field.description}}`. */
function bareFreeText(source: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "MustacheStatement") {
      const pathNode = record.path as { parts?: string[]; original?: string };
      const last = pathNode.parts?.at(-1);
      if ((record.params as unknown[]).length === 0 && last !== undefined && FREE_TEXT.has(last)) {
        found.push(`${pathNode.original} (line ${(record.loc as { start: { line: number } }).start.line})`);
      }
    }
    for (const value of Object.values(record)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object" && key(value)) visit(value);
    }
  };
  const key = (value: object) => "type" in value;
  visit(Handlebars.parse(source));
  return found;
}

describe("template sources", () => {
  it("every template parses and prints free text only through a helper", async () => {
    const files = await templateFiles();
    assert.ok(files.length > 10, "templates are present");
    for (const file of files) {
      const source = await readFile(file, "utf8");
      assert.deepEqual(bareFreeText(source), [], `${path.relative(BUILTIN_TEMPLATES, file)} prints free text raw`);
    }
  });
  it("the lint above does catch a bare description", () => {
    assert.deepEqual(bareFreeText("a {{description}} b {{md description}} {{#each fields}}{{this.description}}{{/each}}"), [
      "description (line 1)",
      "this.description (line 1)",
    ]);
  });
});

function answers(target: Target, schema: Schema, fields?: string[], starter: Starter = defaultStarter(target)): Answers {
  return {
    directory: path.resolve("/tmp/never-written/pkg"),
    packageName: "@acme/my-middleware",
    target,
    schema,
    starter,
    description: NASTY,
    fields: fields?.map(parseOptionSpec),
    packageManager: "npm",
    install: false,
    git: false,
  };
}

const environment = { author: 'Ada "Countess" */ Lovelace', year: 2026 };
const CUSTOM = ["level:info|debug=info", "maxItems:number=10", "tags:string[]", "verbose:boolean", "label:string=it's"];

describe("rendered packages", () => {
  const cases = TARGETS.flatMap((target) =>
    startersFor(target).flatMap((starter) => [
      ...SCHEMAS.map((schema) => ({ target, starter, schema, fields: CUSTOM as string[] | undefined })),
      { target, starter, schema: "none" as Schema, fields: undefined },
    ]),
  );
  for (const { target, starter, schema, fields } of cases) {
    it(`${target} x ${starter} x ${schema}${fields ? " -o ..." : ""} has the package shape`, async () => {
      const plan = await planMiddlewarePackage(answers(target, schema, fields, starter), { environment });
      const paths = plan.files.map((file) => file.path);
      for (const required of [
        "package.json",
        "tsconfig.json",
        "src/index.ts",
        "src/options.ts",
        "src/index.cts",
        "test/consumers.ts",
        "README.md",
        "CHANGELOG.md",
        "SECURITY.md",
        ".editorconfig",
        "biome.jsonc",
        ".github/dependabot.yml",
        ".github/workflows/publish.yml",
        "LICENSE",
        ".gitignore",
        ".github/workflows/ci.yml",
        "example/server.ts",
      ]) {
        assert.ok(paths.includes(required), `${required} is generated`);
      }
      assert.ok(
        paths.some((file) => /^test\/.+\.test\.ts$/.test(file)),
        "tests are generated",
      );
      assert.ok(!paths.some((file) => file.includes("_partials")), "partials are not copied");

      const text = (file: string) => plan.files.find((candidate) => candidate.path === file)?.contents.toString() ?? "";
      const pkg = JSON.parse(text("package.json")) as Record<string, any>;
      assert.equal(pkg.name, "@acme/my-middleware");
      assert.equal(pkg.description, NASTY);
      assert.equal(pkg.type, "module");
      assert.deepEqual(pkg.files, ["dist"]);
      assert.equal(pkg.engines.node, NODE_ENGINE);
      assert.deepEqual(Object.keys(pkg.exports), [".", "./package.json"]);
      assert.deepEqual(pkg.exports["."], {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      });
      for (const script of ["build", "typecheck", "test", "example", "lint", "test:coverage", "lint:package", "test:consumers"]) {
        assert.ok(pkg.scripts[script], `script ${script}`);
      }
      assert.ok(pkg.peerDependencies[target === "express" ? "express" : "socket.io"]);
      const runtime = Object.keys(pkg.dependencies ?? {});
      assert.deepEqual(runtime, schema === "none" ? [] : [schema], "the schema library is the only runtime dependency");

      const license = text("LICENSE");
      assert.match(license, /MIT License/);
      assert.match(license, /2026/);
      assert.ok(license.includes(environment.author));
      const index = text("src/index.ts");
      assert.match(index, /export function myMiddleware[<(]/);
      assert.match(index, /export default myMiddleware/);
      for (const field of fields ? ["level", "maxItems", "tags", "verbose", "label"] : plan.data.fields.map((own) => own.name)) {
        assert.ok(text("src/options.ts").includes(field), `options.ts knows ${field}`);
        assert.ok(text("README.md").includes(field), `README documents ${field}`);
      }
      for (const hook of plan.data.hooks) assert.ok(text("README.md").includes(`\`${hook.name}\``), `README documents ${hook.name}`);
      assert.doesNotMatch(text("README.md"), /%T/, "hook signatures are filled in");
    });
  }

  it("the options tests are the same for every schema: one behaviour, five implementations", async () => {
    for (const target of TARGETS) {
      const rendered = await Promise.all(
        SCHEMAS.map(async (schema) => {
          const plan = await planMiddlewarePackage(answers(target, schema, CUSTOM), { environment });
          return plan.files.find((file) => file.path === "test/options.test.ts")?.contents.toString();
        }),
      );
      assert.ok(rendered[0], "an options test exists");
      for (const other of rendered.slice(1)) assert.equal(other, rendered[0]);
    }
  });
});
