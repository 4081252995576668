/**
 * scripts/compile-template.mjs turns built-in templates into JavaScript that must render exactly as Handlebars
 * does with our compile options: every construct it supports is rendered both ways, through the same
 * renderer, and compared (output, or error message and line). Unsupported constructs fail the build.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileTemplate, TemplateCompileError } from "../../scripts/compile-template.mjs";
import { createRenderer, TemplateError } from "../../src/render.js";
import type { TemplateFactory } from "../../src/template-runtime.js";
import type { TemplateFile } from "../../src/template-source.js";

const factory = (source: string, name: string) => new Function(`return ${compileTemplate(source, name)}`)() as TemplateFactory;

type Kind = "handlebars" | "js";
const template = (path: string, source: string, kind: Kind): TemplateFile => ({
  path,
  layer: "base",
  contents: Buffer.from(source),
  ...(kind === "js" ? { compiled: factory(source, path) } : {}),
});

interface Outcome {
  output?: string;
  error?: string;
  line?: number | undefined;
  logged: string;
}

/** Renders `source` with `partials`, each template of the kind `kindOf` gives it, capturing errors and console.error. */
async function renderWith(source: string, data: unknown, partials: Record<string, string>, kindOf: (name: string) => Kind): Promise<Outcome> {
  const set = new Map(Object.entries(partials).map(([name, text]) => [name, template(`_partials/${name}.hbs`, text, kindOf(name))]));
  const renderer = await createRenderer({ files: [], partials: set });
  const saved = console.error;
  let logged = "";
  console.error = (...args: unknown[]) => void (logged += `${args.join(" ")}\n`);
  try {
    return { output: renderer.render(template("x.hbs", source, kindOf("")), data as object), logged };
  } catch (error) {
    assert.ok(error instanceof TemplateError, String(error));
    return { error: error.message, line: error.line, logged };
  } finally {
    console.error = saved;
  }
}

/** Renders with Handlebars and with the compiled JavaScript; returns both. */
async function both(source: string, data: unknown, partials: Record<string, string> = {}) {
  const handlebars = await renderWith(source, data, partials, () => "handlebars");
  const js = await renderWith(source, data, partials, () => "js");
  return { handlebars, js };
}

/** Asserts the compiled JavaScript renders as Handlebars does, and (when given) what that is. */
async function same(source: string, data: unknown, expected?: string | RegExp, partials: Record<string, string> = {}) {
  const { handlebars, js } = await both(source, data, partials);
  assert.deepEqual(js, handlebars, source);
  if (typeof expected === "string") assert.equal(handlebars.output, expected, source);
  if (expected instanceof RegExp) assert.match(handlebars.error ?? "", expected, source);
}

describe("the template compiler renders as Handlebars does", () => {
  it("content, paths, nested paths and this", async () => {
    await same("a {{x}} b {{y.z}} {{this.x}} {{./x}}", { x: "X", y: { z: "Z" } }, "a X b Z X X");
    await same("{{#each list}}[{{this}}]{{/each}}", { list: ["a", 1, true, null] }, "[a][1][true][]");
  });
  it("appends with + like Handlebars: two numbers add up, null and undefined give nothing", async () => {
    await same("{{a}}{{b}}", { a: 1, b: 2 }, "3");
    await same("{{a}}{{b}}.", { a: 1, b: 2 }, "3.");
    await same("{{#if t}}{{a}}{{/if}}{{b}}", { t: true, a: 1, b: 2 }, "3");
    await same("{{a}}-{{n}}-{{u}}-{{o}}-{{l}}", { a: 0, n: null, u: undefined, o: { valueOf: () => 7 }, l: [1, 2] }, "0---7-1,2");
    await same("{{{a}}} {{&a}} {{a}}", { a: "<&>" }, "<&> <&> <&>");
  });
  it("strict: a missing {{path}} throws with its line, a missing helper argument does not", async () => {
    await same("ok\n  {{missing}}", {}, /"missing" not defined in \[object Object\] - 2:4/);
    await same("{{a.missing}}", { a: { b: 1 } }, /"missing" not defined/);
    await same("{{a.b.c}}", { a: {} }, /"c" not defined in undefined - 1:2/);
    await same("{{a.b.c}}", {}, /Cannot read properties of undefined \(reading 'b'\)/);
    await same("{{a.b}}", { a: "str" }, /Cannot use 'in' operator/);
    await same("[{{js missing}}] [{{line missing}}]", {}, "[null] [undefined]");
    await same("{{js a.b.c}}", { a: {} }, /Cannot read properties of undefined \(reading 'c'\)/);
    await same("{{#if missing}}y{{else}}n{{/if}}", {}, "n");
    await same("{{@missing}}", {}, /"missing" not defined/);
  });
  it("if and unless: empty arrays and 0 are false, includeZero, functions are called", async () => {
    const data = { empty: [], zero: 0, one: [0], str: "", obj: {}, f() { return (this as { zero: number }).zero; } };
    await same("{{#if empty}}y{{else}}n{{/if}}{{#if zero}}y{{else}}n{{/if}}{{#if one}}y{{else}}n{{/if}}{{#if str}}y{{else}}n{{/if}}{{#if obj}}y{{else}}n{{/if}}", data, "nnyny");
    await same("{{#if zero includeZero=true}}y{{else}}n{{/if}}{{#unless zero includeZero=true}}u{{/unless}}", data, "y");
    await same("{{#unless empty}}u{{else}}e{{/unless}}{{#unless one}}u{{/unless}}", data, "u");
    await same("{{#if f}}y{{else}}n{{/if}}", data, "n");
    await same("{{#if a}}A{{else if b}}B{{else}}C{{/if}}", { a: false, b: true }, "B");
  });
  it("each over arrays, objects, iterables and nothing, with @index @key @first @last", async () => {
    const source = "{{#each list}}{{@index}}/{{@key}}:{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{else}}none{{/each}}";
    await same(source, { list: ["a", "b", "c"] }, "0/0:aF;1/1:b;2/2:cL;");
    await same(source, { list: { x: 1, y: 2 } }, "0/x:1F;1/y:2L;");
    await same(source, { list: new Map([["k", "v"]]) }, "0/0:k,vFL;");
    // eslint-disable-next-line no-sparse-arrays
    await same(source, { list: ["a", , "c"] }, "0/0:aF;2/2:cL;");
    await same(source, { list: [] }, "none");
    await same(source, { list: {} }, "none");
    await same(source, {}, "none");
    await same("{{#each outer}}{{#each this}}{{@../index}}.{{@index}} {{/each}}{{/each}}", { outer: [[1, 2], [3]] }, "0.0 0.1 1.0 ");
  });
  it("`..` counts context changes only: inside an if inside an each it is the each's parent", async () => {
    const data = { name: "root", list: [{ name: "a", on: true }, { name: "b", on: false }] };
    await same("{{#each list}}{{#if on}}{{name}}<{{../name}}{{/if}}{{/each}}", data, "a<root");
    await same("{{#each list}}{{#with this}}{{../name}}{{/with}}{{/each}}", data, "rootroot");
    await same("{{#with list}}{{#each this}}{{../../name}}{{/each}}{{/with}}", data, "rootroot");
    await same("{{#each list}}{{..}}{{/each}}", { list: [1] }, "[object Object]");
    await same("{{#each list}}{{#if x}}a{{/if}}{{/each}}", { list: [null, undefined] }, /"x" not defined|Cannot/);
    await same("{{#each list}}{{#if true}}{{this}}{{../x}}{{/if}}{{/each}}", { x: 1, list: [null] }, "[object Object]1");
  });
  it("with and its else", async () => {
    await same("{{#with a}}{{b}}{{else}}none{{/with}}|{{#with e}}x{{else}}none{{/with}}", { a: { b: 1 }, e: [] }, "1|none");
  });
  it("our helpers, with literals, paths and subexpressions, and a helper named bare is called with no arguments", async () => {
    await same('{{js s}} {{json n}} {{jsList l " | "}} {{#if (and t (not f) (eq k "a"))}}y{{/if}} {{join l (js "-")}}', { s: "q\"", n: 1.5, l: ["a", "b"], t: 1, f: 0, k: "a" });
    await same("{{#if (eq n 1)}}one{{/if}}{{#if (eq b true)}}t{{/if}}{{#if (eq u undefined)}}u{{/if}}{{#if (eq z null)}}z{{/if}}", { n: 1, b: true, u: undefined, z: null }, "onetuz");
    await same("{{js}}|{{json}}|{{line}}|{{not}}", { a: 1 });
    await same("{{#each l}}{{json}}{{/each}}", { l: [1, 2] });
    await same("{{js this foo=1 bar=a}}", { a: 2 });
  });
  it("a function in the data is called with the context as this; a helper argument is passed as is", async () => {
    const data = { x: 3, f(this: { x: number }) { return this.x; }, g: () => 0 };
    await same("{{f}} {{line g}}", data);
    await same("{{f}}", data, "3");
    await same("{{#with f}}{{this}}{{/with}} {{#each f}}{{this}}{{/each}}", data, "3 ");
  });
  it("prototype properties are never read", async () => {
    await same("[{{constructor}}][{{js constructor}}][{{a.__proto__}}][{{js a.constructor}}]", { a: {} });
    await same("{{#each (js toString)}}x{{/each}}{{#with valueOf}}y{{/with}}", {});
    await same("{{#each obj}}{{@key}}{{/each}}", { obj: Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true } }) }, "own");
    await same("{{fn.constructor}}", { fn() {} });
    await same("{{length}} {{s.length}}", Object.assign(Object.create({ length: 9 }), { s: "abc" }));
  });
  it("partials: the set's, standalone ones indented, with a hash, a context argument, and the caller's data", async () => {
    const partials = { item: "- {{name}}\n  {{@root.title}} #{{@index}}\n", line: "{{a}}{{b}}", keys: "{{#each this}}{{@key}}{{/each}}" };
    await same("{{#each list}}\n  {{> item}}\n{{/each}}\nend", { title: "T", list: [{ name: "a" }, { name: "b" }] }, undefined, partials);
    await same("[{{> item}}]", { name: "n", title: "t" }, undefined, partials);
    await same("{{> line a=1 b=2}}|{{> line}}", { a: "x", b: "y" }, "3|xy", partials);
    await same("{{> keys z=1 a=2}}", { m: 0 }, "maz", partials);
    await same("{{> line obj}}", { obj: { a: "o", b: "k" } }, "ok", partials);
    await same("{{> nope}}", {}, /The partial nope could not be found/, partials);
    await same("{{> item}}", { title: "t" }, /"name" not defined/, partials);
  });
  it("inline partials: defined anywhere at the top, calling each other, used in blocks and by partials", async () => {
    const source = '{{#each list}}\n  {{> type}}\n{{/each}}\n{{#*inline "type"}}\n<{{> inner}}>\n{{/inline}}\n{{#*inline "inner"}}{{this}}@{{@index}}{{/inline}}\n{{> outer}}';
    await same(source, { list: ["a", "b"] }, undefined, { outer: "outer sees {{> inner}}" });
    await same('{{#*inline "n"}}{{num}}{{/inline}}\n  {{> n}}\n', { num: 5 }, /split is not a function/);
    await same('{{#*inline "n"}}{{num}}{{/inline}}{{> n}}{{> n}}', { num: 5 }, "10");
    await same('{{#*inline "p"}}inline{{/inline}}{{> p}}', {}, "inline", { p: "set" });
    await same('{{#*inline "up"}}{{../x}}{{/inline}}{{#each l}}{{> up}}{{/each}}', { x: 1, l: [{ x: 2 }] }, /not defined/);
  });
  it("a program written twice runs the first one's code, as in Handlebars: errors name the first one's line", async () => {
    await same("{{#if a}}{{missing}}{{/if}}\n{{#if b}}{{missing}}{{/if}}", { b: true }, /"missing" not defined in \[object Object\] - 1:11/);
    await same("{{#each l}}{{js}}{{/each}}\n{{#with o}}{{js}}{{/with}}", { l: [1], o: { k: 1 } });
  });
  it("keeps depths where Handlebars does: a block's new context is compared with the last one", async () => {
    const bare = Object.create(null) as object;
    await same("{{#with 's'}}x{{/with}}", bare, "x");
    await same('{{#*inline "i"}}{{/inline}}{{#with "s"}}x{{/with}}', bare, /Cannot convert object to primitive value/);
    await same("{{#each l}}{{../a}}{{/each}}{{#with 's'}}x{{/with}}", Object.assign(Object.create(null), { l: [] }), /Cannot convert object/);
    await same("{{#each l}}{{#with 's'}}{{#with 't'}}x{{/with}}{{/with}}{{/each}}", Object.assign(Object.create(null), { l: [bare] }), "x");
    // The empty program compiled first where depths are kept makes a later block keep them too.
    await same('{{#each "s"}}{{../a}}{{else}}{{/each}}{{#if (line "s")}}{{#with "s"}}{{/with}}{{/if}}', bare, /Cannot convert object to primitive value/);
  });
  it("whitespace control and standalone lines", async () => {
    await same("a\n{{#if t}}\n  b\n{{/if}}\n  {{~x~}}  \nc {{! comment }}\n{{!-- long --}}\nd", { t: true, x: "X" });
  });
});

describe("built-in and pack templates mix through one partial scope", () => {
  const partials = { shared: "shared({{name}}) {{> leaf}} {{> local}}", leaf: "leaf {{js @index}} {{@root.title}}" };
  const source = '{{#*inline "local"}}local{{/inline}}{{#each list}}\n  {{> shared}}\n{{/each}}{{> leaf}}';
  const data = { title: "T", list: [{ name: "a" }, { name: "b" }] };
  for (const [label, kindOf] of [
    ["a built-in template whose partial a pack overrides", (name: string) => (name === "shared" ? "handlebars" : "js")],
    ["a pack template calling built-in partials", (name: string) => (name === "" ? "handlebars" : "js")],
    ["a built-in partial calling a pack's", (name: string) => (name === "leaf" ? "handlebars" : "js")],
  ] as const) {
    it(label, async () => {
      const expected = await renderWith(source, data, partials, () => "handlebars");
      assert.equal(expected.output, "\n  shared(a) leaf 0 T local\n  shared(b) leaf 1 T localleaf null T");
      assert.deepEqual(await renderWith(source, data, partials, kindOf), expected);
    });
  }
  it("a pack partial sees a built-in template's inline partials, and the other way round", async () => {
    const inlineCallers = { caller: "<{{> local}}>" };
    for (const kindOf of [(name: string) => (name === "caller" ? "handlebars" : "js"), (name: string) => (name === "caller" ? "js" : "handlebars")] as const) {
      const expected = await renderWith('{{#*inline "local"}}L{{/inline}}{{> caller}}', {}, inlineCallers, () => "handlebars");
      assert.equal(expected.output, "<L>");
      assert.deepEqual(await renderWith('{{#*inline "local"}}L{{/inline}}{{> caller}}', {}, inlineCallers, kindOf), expected);
    }
  });
  it("loads Handlebars only when a template was not compiled at build time", async () => {
    const js = await createRenderer({ files: [template("a.hbs", "x", "js"), { path: "static.txt", layer: "base", contents: Buffer.from("s") }], partials: new Map([["p", template("_partials/p.hbs", "p", "js")]]) });
    assert.equal(js.usesHandlebars, false);
    assert.equal(js.render(template("a.hbs", "{{x}}!", "js"), { x: 1 }), "1!");
    assert.throws(() => js.render(template("b.hbs", "{{x}}", "handlebars"), { x: 1 }), /b\.hbs failed to render: it was not compiled at build time/);
    const mixed = await createRenderer({ files: [template("a.hbs", "x", "js")], partials: new Map([["p", template("_partials/p.hbs", "p", "handlebars")]]) });
    assert.equal(mixed.usesHandlebars, true);
  });
});

describe("the template compiler refuses what it does not support, naming the file and line", () => {
  for (const source of [
    "ok\n{{#foo}}x{{/foo}}",
    "ok\n{{#js a}}x{{/js}}",
    "ok\n{{lookup a b}}",
    "ok\n{{unknown a}}",
    "ok\n{{if a}}",
    "ok\n{{> (name)}}",
    "ok\n{{#> p}}x{{/p}}",
    "ok\n{{> @partial-block}}",
    "ok\n{{#each l as |x|}}{{x}}{{/each}}",
    'ok\n{{#if a}}{{#*inline "x"}}y{{/inline}}{{/if}}',
    "ok\n{{*decorator}}",
    'ok\n{{"literal"}}',
    "ok\n{{#each a b}}x{{/each}}",
    "ok\n{{#with a z=1}}x{{/with}}",
    "ok\n{{> toString}}",
    "ok\n{{#if}}x{{/if}}",
  ]) {
    it(JSON.stringify(source), () => {
      assert.throws(
        () => compileTemplate(source, "templates/base/x.hbs"),
        (error: unknown) => error instanceof TemplateCompileError && /^templates\/base\/x\.hbs:2: /.test(error.message),
      );
    });
  }
  it("a syntax error names the file", () => {
    assert.throws(() => compileTemplate("{{#if a}}", "templates/base/y.hbs"), /^TemplateCompileError: templates\/base\/y\.hbs: Parse error/);
  });
});
