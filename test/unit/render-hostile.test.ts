/** Templates read at run time (a team pack, untrusted) get our helpers and the block built-ins, nothing else. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TemplateError, createRenderer } from "../../src/render/render.js";

const render = async (source: string, data: object = { description: "d", list: ["a", "b"], obj: { a: 1 } }) => {
  const file = { path: "NOTE.md.hbs", layer: "team pack/base", contents: Buffer.from(source) };
  const renderer = await createRenderer({ files: [file], partials: new Map() });
  return renderer.render(file, data);
};

/** Runs `work` with the console captured: Handlebars' `log` prints through it (to stdout, --json's stream). */
async function consoleOf(work: () => Promise<unknown>): Promise<string> {
  const methods = ["log", "info", "debug", "warn", "error"] as const;
  const saved = methods.map((method) => console[method]);
  let captured = "";
  for (const method of methods) console[method] = (...args: unknown[]) => void (captured += `${args.join(" ")}\n`);
  try {
    await work().catch(() => undefined);
  } finally {
    methods.forEach((method, index) => (console[method] = saved[index]!));
  }
  return captured;
}

describe("helpers a pack may not call", () => {
  for (const [source, name] of [
    ['{{log "hi"}}', "log"],
    ['{{lookup this "description"}}', "lookup"],
    ['{{#if (log "x")}}a{{/if}}', "log"],
    ['{{#with obj}}{{log "x"}}{{/with}}', "log"],
    ['{{exec "rm -rf /"}}', "exec"],
  ] as const) {
    it(`${source}: refused at compile time, naming ${name}, printing nothing`, async () => {
      const printed = await consoleOf(() => render(source));
      assert.equal(printed, "");
      await assert.rejects(render(source), (error: unknown) => {
        assert.ok(error instanceof TemplateError);
        assert.match(error.message, new RegExp(`calls the helper "${name}", which templates may not use`));
        return true;
      });
    });
  }
  for (const source of [
    "{{#description}}x{{/description}}",
    "{{#list}}{{this}}{{/list}}",
    "{{#blockHelperMissing description}}x{{/blockHelperMissing}}",
    '{{#*foo "p"}}z{{/foo}}',
  ]) {
    it(`${source}: a block or decorator that is not ours is refused, with a clean message`, async () => {
      await assert.rejects(render(source), (error: unknown) => {
        assert.ok(error instanceof TemplateError);
        assert.match(error.message, /is not allowed/);
        assert.doesNotMatch(error.message, /Cannot read properties/);
        return true;
      });
    });
  }
  it("{{helperMissing}} and {{log}} without arguments are plain (missing) variables: strict mode refuses them", async () => {
    await assert.rejects(render("{{helperMissing}}"), /not defined/);
    await assert.rejects(render("{{log}}"), /not defined/);
  });
});

describe("what a pack may use", () => {
  it("the block built-ins if, unless, each, with, inline partials, and our helpers", async () => {
    const source =
      '{{#if description}}y{{/if}}{{#unless description}}n{{/unless}}{{#each list}}{{@index}}{{this}}{{/each}}{{#with obj}}{{a}}{{/with}}{{#*inline "p"}}P{{/inline}}{{> p}}{{js description}}';
    assert.equal(await render(source), 'y0a1b1P"d"');
  });
});
