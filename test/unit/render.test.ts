import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  COMPILE_OPTIONS,
  commentText,
  createRenderer,
  FITS_WIDTH,
  HELPER_NAMES,
  jsLiteral,
  jsSource,
  markdownCode,
  markdownText,
  TemplateError,
} from "../../src/render/render.js";
import type { TemplateFile } from "../../src/render/template-source.js";

const NASTY = 'it\'s "quoted" */ ${x} `tick` </script>\u2028|*_[x]';

const file = (path: string, text: string, layer = "base"): TemplateFile => ({ path, layer, contents: Buffer.from(text) });

describe("context helpers", () => {
  it("js gives a literal that evaluates back to the same value", () => {
    for (const value of [NASTY, 42, true, null, ["a", "b'c"], { k: "v" }]) {
      assert.deepEqual(new Function(`return ${jsLiteral(value)};`)(), value);
    }
    assert.ok(!jsLiteral(NASTY).includes("\u2028"));
  });
  it("js quotes a string as Biome does (double quotes unless it holds more of them than single ones), and it evaluates back", () => {
    assert.equal(jsSource('one of "a", "b"'), `'one of "a", "b"'`);
    assert.equal(jsSource(`it's "x"`), `'it\\'s "x"'`);
    assert.equal(jsSource(`it's`), `"it's"`);
    assert.equal(jsSource("a\"b'c"), `"a\\"b'c"`);
    assert.equal(jsSource(["a", 'b"']), `["a", 'b"']`);
    for (const value of [NASTY, 'a\\"b', "\\'\"", ["x", NASTY], 4, null]) {
      assert.deepEqual(new Function(`return ${jsSource(value)};`)(), value);
    }
  });
  it("comment text cannot close the comment or leave the line", () => {
    const text = commentText("a */ b\nc\u2028d");
    assert.ok(!text.includes("*/"));
    assert.ok(!/[\n\u2028]/.test(text));
    // Still a comment when compiled: the code after it runs.
    assert.equal(new Function(`/** ${commentText(NASTY)} */ return 1;`)(), 1);
  });
  it("markdown text escapes what Markdown would interpret", () => {
    assert.equal(markdownText("a*b_c`d|e<f>[g]"), "a\\*b\\_c\\`d\\|e\\<f\\>\\[g\\]");
    assert.equal(markdownText("one\ntwo"), "one two");
  });
  it("markdown code spans survive backticks", () => {
    assert.equal(markdownCode("a"), "`a`");
    assert.equal(markdownCode("a`b"), "``a`b``");
    assert.equal(markdownCode("`a"), "`` `a ``");
  });
});

const withPartials = (partials: Array<[string, TemplateFile]> = []) => createRenderer({ files: [], partials: new Map(partials) });

describe("createRenderer", () => {
  it("renders without HTML escaping, with partials from the set", async () => {
    const renderer = await withPartials([["greeting", file("_partials/greeting.hbs", "<{{name}}>")]]);
    assert.equal(renderer.render(file("a.hbs", "{{> greeting}} & {{js name}}"), { name: "a&b" }), '<a&b> & "a&b"');
  });
  it("is strict: a missing variable names the template and line", async () => {
    const renderer = await withPartials();
    assert.throws(
      () => renderer.render(file("src/index.ts.hbs", "line one\n{{missing}}", "express"), {}),
      (error: unknown) => error instanceof TemplateError && /express\/src\/index\.ts\.hbs:2/.test(error.message),
    );
  });
  it("reports a syntax error with file and line", async () => {
    const renderer = await withPartials();
    assert.throws(
      () => renderer.render(file("README.md.hbs", "ok\nok\n{{#if x}}unclosed"), { x: true }),
      (error: unknown) => error instanceof TemplateError && error.file === "base/README.md.hbs" && /failed to render/.test(error.message),
    );
  });
  it("reports a broken partial under the partial's own name", async () => {
    await assert.rejects(
      withPartials([["p", file("_partials/p.hbs", "{{#each}}", "socket.io")]]),
      (error: unknown) => error instanceof TemplateError && error.file === "socket.io/_partials/p.hbs",
    );
  });
  it("reports a missing partial", async () => {
    const renderer = await withPartials();
    assert.throws(() => renderer.render(file("x.hbs", "{{> nope}}"), {}), /x\.hbs.*nope/);
  });
  it("comparison and list helpers", async () => {
    const renderer = await withPartials();
    const out = renderer.render(
      file("x.hbs", '{{#if (eq kind "a")}}A{{/if}}{{#if (and t (not f))}}B{{/if}}{{#if (or f t)}}C{{/if}}{{join list "|"}}'),
      {
        kind: "a",
        t: true,
        f: false,
        list: [1, 2],
      },
    );
    assert.equal(out, "ABC1|2");
  });
  it("jsList prints each item as a literal, joined by a comma or the separator given", async () => {
    const renderer = await withPartials();
    const out = renderer.render(file("x.hbs", '[{{jsList list}}] {{jsList list " | "}} [{{jsList empty}}]'), { list: ["a", NASTY, 3], empty: [] });
    assert.equal(out, `["a", ${jsSource(NASTY)}, 3] "a" | ${jsSource(NASTY)} | 3 []`);
    assert.deepEqual(eval(`[${renderer.render(file("y.hbs", "{{jsList list}}"), { list: ["a", NASTY] })}]`), ["a", NASTY]);
  });
  it("fits gives its block when every line of it fits the line width, else the next form that does", async () => {
    const renderer = await withPartials();
    const layouts = file("fits.hbs", "{{#fits}}\n{{name}} = 1;\n{{else fits}}\n{{name}} =\n  1;\n{{else}}\n{{name}}\n{{/fits}}\n");
    const render = (name: string) => renderer.render(layouts, { name });
    assert.equal(render("a".repeat(FITS_WIDTH - 5)), `${"a".repeat(FITS_WIDTH - 5)} = 1;\n`);
    assert.equal(render("a".repeat(FITS_WIDTH - 4)), `${"a".repeat(FITS_WIDTH - 4)} =\n  1;\n`);
    assert.equal(render("a".repeat(FITS_WIDTH - 1)), `${"a".repeat(FITS_WIDTH - 1)}\n`, "the last form whatever its length");
    // A width of its own, and the question alone as a subexpression.
    assert.equal(renderer.render(file("w.hbs", "{{#fits 3}}{{v}}{{else}}long{{/fits}}"), { v: "abcd" }), "long");
    assert.equal(renderer.render(file("q.hbs", "{{#if (fits v)}}yes{{else}}no{{/if}}"), { v: `short\n${"x".repeat(FITS_WIDTH + 1)}` }), "no");
  });
  it("registers every helper of the shared list the build compiles with, and no other compiles", async () => {
    const renderer = await withPartials();
    assert.deepEqual(HELPER_NAMES, Object.keys(COMPILE_OPTIONS.knownHelpers));
    const everyHelper = HELPER_NAMES.map((name) => `{{${name} v}}`).join("|");
    assert.equal(renderer.render(file("all.hbs", everyHelper), { v: "x" }).split("|").length, HELPER_NAMES.length);
    assert.throws(() => renderer.render(file("other.hbs", "{{shout v}}"), { v: "x" }), /shout/);
    // Handlebars' own lookup is not one of ours (a team pack is untrusted input).
    assert.throws(() => renderer.render(file("other.hbs", "{{lookup v 0}}"), { v: "x" }), /lookup/);
  });
});
