/**
 * Property-based (fast-check): random templates made of every construct scripts/compile-template.mjs supports,
 * with random data and partials, render the same (output, or error message and line) compiled to JavaScript
 * and with Handlebars, each template and partial of either kind.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileTemplate } from "../../scripts/compile-template.mjs";
import { createRenderer, TemplateError } from "../../src/render.js";
import type { TemplateFactory } from "../../src/template-runtime.js";
import type { TemplateFile } from "../../src/template-source.js";

const PATHS = ["a", "b", "list", "obj", "a.b", "obj.a", "obj.list", "this", "..", "../a", "../list", "../../b", "@index", "@first", "@last", "@key", "@../index", "@root.a", "@root.list", "missing", "list.length", "constructor", "js", "toString"];
const VALUES = ["a", "b", "list", "obj", "this", "missing", "@index", "@last", "../a", "@root.obj", "obj.a", "obj.__proto__", "@../key"];

const path = fc.constantFrom(...PATHS);
const value = fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom('"s"', "1", "0", "true", "null"));
const helper = fc.oneof(
  value.map((v) => `js ${v}`),
  value.map((v) => `line ${v}`),
  fc.tuple(value, value).map(([x, y]) => `eq ${x} ${y}`),
  fc.tuple(value, value).map(([x, y]) => `and ${x} (not ${y})`),
  fc.tuple(value, value).map(([x, y]) => `or ${x} ${y}`),
  value.map((v) => `jsList ${v}`),
  value.map((v) => `join ${v} "-"`),
  fc.tuple(value, value).map(([x, y]) => `json (eq ${x} (or ${y} ${x}))`),
);
const text = fc.constantFrom("", "x", " ", "\n", "  ", "a\n  ", "\n\n", "- ");

const template = fc.letrec<{ body: string }>((tie) => ({
  body: fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: text },
        { weight: 3, arbitrary: path.map((p) => `{{${p}}}`) },
        { weight: 2, arbitrary: helper.map((h) => `{{${h}}}`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("{{> p}}", "\n  {{> p}}\n", "{{> q a=1 b=list}}", "\n{{> q}}\n", "{{> inl}}", "\n {{> inl}}\n", "{{> p obj}}", "\n\t{{> q this x=(js a)}}\n", "{{> p ..}}"),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom("if", "unless", "each", "with", "if", "unless"), fc.oneof(value, helper.map((h) => `(${h})`)), tie("body"), fc.option(tie("body"), { nil: undefined }), fc.boolean())
            .map(([block, param, inner, inverse, standalone]) => {
              const nl = standalone ? "\n" : "";
              const zero = (block === "if" || block === "unless") && param.length % 3 === 0 ? " includeZero=true" : "";
              return `${nl}{{#${block} ${param}${zero}}}${nl}${inner}${inverse === undefined ? "" : `${nl}{{else}}${nl}${inverse}`}${nl}{{/${block}}}${nl}`;
            }),
        },
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join("")),
}));

const leaf = fc.oneof(fc.constantFrom("s", "", "a*b", 0, 1, 2.5, true, false, null), fc.constant(undefined));
const data = fc.record(
  {
    a: leaf,
    b: leaf,
    list: fc.oneof(fc.array(fc.oneof(leaf, fc.record({ a: leaf, b: leaf })), { maxLength: 3 }), leaf, fc.constant(new Map([["k", { a: 1 }]]))),
    obj: fc.oneof(fc.record({ a: leaf, list: fc.array(leaf, { maxLength: 2 }) }), fc.constant({})),
  },
  { requiredKeys: [] },
);

const factory = (source: string) => new Function(`return ${compileTemplate(source, "t.hbs")}`)() as TemplateFactory;
const file = (path: string, source: string, js: boolean): TemplateFile => ({ path, layer: "base", contents: Buffer.from(source), ...(js ? { compiled: factory(source) } : {}) });

async function render(main: string, partials: Record<string, string>, input: unknown, js: (name: string) => boolean) {
  const renderer = await createRenderer({ files: [], partials: new Map(Object.entries(partials).map(([name, source]) => [name, file(`_partials/${name}.hbs`, source, js(name))])) });
  try {
    return { output: renderer.render(file("x.hbs", main, js("")), input as object) };
  } catch (error) {
    assert.ok(error instanceof TemplateError, String(error));
    return { error: error.message, line: error.line };
  }
}

describe("random templates render the same compiled to JavaScript and with Handlebars", () => {
  it("every construct, every mix of kinds", async () => {
    await fc.assert(
      fc.asyncProperty(template.body, template.body, template.body, data, fc.integer({ min: 0, max: 15 }), async (main, p, q, input, mask) => {
        const source = `{{#*inline "inl"}}{{a}}<{{> p}}>{{/inline}}${main}`;
        // No endless recursion: p calls no partial, q only p and an inline partial of its own; the template
        // calls both and an inline partial of its own that calls p.
        const noCalls = (body: string) => body.replace(/\{\{> [^}]*\}\}/g, "");
        const qWithInline = `{{#*inline "inl"}}[{{> p}}]{{/inline}}\n  {{> inl}}\n${noCalls(q)}{{> p}}`;
        const partials = { p: noCalls(p), q: qWithInline };
        const names = ["", "p", "q"];
        const expected = await render(source, partials, input, () => false);
        const js = (name: string) => ((mask >> names.indexOf(name)) & 1) === 1 || mask >= 8;
        assert.deepEqual(await render(source, partials, input, js), expected);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  });
});
