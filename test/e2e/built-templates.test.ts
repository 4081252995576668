/**
 * The built CLI renders the built-in templates precompiled at build time (scripts/build.mjs) on Handlebars'
 * runtime; the library, run from source, compiles the same templates with Handlebars' compiler. Both must
 * write the same bytes, for every target x schema x starter and for option fields of every kind.
 */
import assert from "node:assert/strict";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { planMiddlewarePackage } from "../../src/create.js";
import { resolveAnswers } from "../../src/answers/resolve-answers.js";
import { SCHEMAS } from "../../src/tables/schemas.js";
import { startersFor } from "../../src/tables/starters.js";
import { TARGETS } from "../../src/tables/targets.js";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

const AUTHOR = "Built Tester";
const DESCRIPTION = "a `b` */ c *d* | e <f> ünïcödé 日本 ${x} \\ 'q' \"qq\" ``";
let work: { path: string; remove: () => Promise<void> };
let gitConfig: string;

before(async () => {
  work = await tempDir("cm-built-templates-");
  gitConfig = path.join(work.path, "gitconfig");
  await writeFile(gitConfig, `[user]\n\tname = ${AUTHOR}\n`);
});
after(() => work.remove());

/** Option fields of every kind: with and without defaults, the header pair, odd names and literals. */
const OPTION_SETS: Record<string, string[]> = {
  "every kind": ["level:info|debug=info", "tags:string[]=a,b", "max:number=3", "on:boolean", "label:string=x y"],
  "no defaults": ["opt:string", "list:string[]", "n:number", "flag:boolean", "pick:a|b"],
  header: ["header:string=X-Trace-Id", "setHeader:boolean=false", "other:number=0"],
  "odd names and literals": ['$odd_name:string=it\'s "q" */ `t` ${x}', '_u:a\'b|c"d|e`f|g*/h=c"d', "a$b:number=-1.5", "x_1:string[]=ü,*/,`"],
};

const cases = [
  ...TARGETS.flatMap((target) => SCHEMAS.flatMap((schema) => startersFor(target).map((starter) => ({ target, schema, starter, options: "" })))),
  ...Object.keys(OPTION_SETS).flatMap((options) =>
    TARGETS.flatMap((target) => SCHEMAS.map((schema) => ({ target, schema, starter: undefined, options }))),
  ),
];

let count = 0;
describe("templates precompiled at build time render exactly as Handlebars compiling them at run time", () => {
  for (const { target, schema, starter, options } of cases) {
    it(`${target} x ${schema} x ${starter ?? "default starter"}${options ? ` with option fields: ${options}` : ""}`, async () => {
      const name = `b-${count++}`;
      const specs = options ? OPTION_SETS[options]! : [];
      const flags = ["--target", target, "--schema", schema, ...(starter ? ["--starter", starter] : []), ...specs.flatMap((spec) => ["-o", spec])];
      const result = await runCli([name, "--yes", "--no-install", "--no-git", ...flags, "--description", DESCRIPTION], {
        cwd: work.path,
        env: { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1" },
      });
      assert.equal(result.code, 0, result.stderr);

      const answers = await resolveAnswers(
        {
          directory: name,
          target,
          schema,
          ...(starter ? { starter } : {}),
          description: DESCRIPTION,
          ...(specs.length ? { option: specs } : {}),
          install: false,
          git: false,
        },
        { cwd: work.path },
      );
      const plan = await planMiddlewarePackage(answers, { environment: { author: AUTHOR, year: new Date().getFullYear() } });
      assert.ok(plan.files.length > 10);
      for (const file of plan.files) {
        const written = await readFile(path.join(work.path, name, file.path));
        assert.equal(written.toString("utf8"), file.contents.toString("utf8"), file.path);
      }
    });
  }
});

describe("a team pack mixed with built-in templates renders as Handlebars renders it all", () => {
  it("a pack partial a built-in template uses, a pack template calling built-in partials and inline partials", async () => {
    const init = await runCli(["template", "init", "mixpack"], { cwd: work.path });
    assert.equal(init.code, 0, init.stderr);
    const pack = path.join(work.path, "mixpack");
    // The built-in README (the pack's copy is byte-identical: it renders with the built-in code) calls both.
    await writeFile(
      path.join(pack, "base", "_partials", "readme-updates.hbs"),
      "## Ours\n\n{{#each keywords}}\n  - {{md this}} {{> readme-ci-legs}}\n{{/each}}\n",
    );
    await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), "\n## Internal\n\n  {{> readme-starter}}\n{{> readme-compat}}\n");
    await writeFile(
      path.join(pack, "base", "NOTES.md.hbs"),
      '{{#*inline "item"}}* {{code name}}: {{> ci-name}}{{/inline}}\n# {{md packageName}}\n\n{{#each fields}}\n  {{> item}}\n{{/each}}\n{{> readme-compat}}\n',
    );
    // A built-in partial whose pack copy changed (no longer a twin) while its callers are built-in.
    await appendFile(path.join(pack, "express", "_partials", "ci-matrix.hbs"), "        # {{packageName}}\n");
    const name = "mixed";
    const result = await runCli([name, "--yes", "--no-install", "--no-git", "--template", "./mixpack", "--description", DESCRIPTION], {
      cwd: work.path,
      env: { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1" },
    });
    assert.equal(result.code, 0, result.stderr);
    // A pack is in use, as the CLI tells resolveAnswers (answers/resolver.ts): the template-update workflow is on.
    const answers = await resolveAnswers(
      { directory: name, description: DESCRIPTION, install: false, git: false },
      { cwd: work.path, packInUse: true },
    );
    const plan = await planMiddlewarePackage(answers, {
      cwd: work.path,
      template: "./mixpack",
      environment: { author: AUTHOR, year: new Date().getFullYear() },
    });
    for (const file of plan.files) {
      const written = await readFile(path.join(work.path, name, file.path));
      assert.equal(written.toString("utf8"), file.contents.toString("utf8"), file.path);
    }
    const readme = await readFile(path.join(work.path, name, "README.md"), "utf8");
    assert.match(readme, /## Ours\n\n {2}- express/);
    assert.match(readme, /## Internal/);
    assert.match(await readFile(path.join(work.path, name, "NOTES.md"), "utf8"), /# mixed\n\n {2}\* `header`: , Express/);
  });
});

describe("a scaffold from built-in templates", () => {
  it("loads Handlebars' runtime and the precompiled template layers, not Handlebars' compiler", async () => {
    const report = path.join(work.path, "modules.json");
    const probe = path.join(work.path, "probe.cjs");
    await writeFile(
      probe,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const result = await runCli(["no-hbs", "--yes", "--no-install", "--no-git"], { cwd: work.path, env: { NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(result.code, 0, result.stderr);
    const modules = (JSON.parse(await readFile(report, "utf8")) as string[]).map((file) => path.relative(REPO, file).split(path.sep).join("/"));
    assert.ok(modules.includes("dist/templates/base.cjs"), modules.join("\n"));
    assert.deepEqual(
      modules.filter((file) => /handlebars/i.test(file)),
      ["dist/chunks/handlebars-runtime.cjs"],
    );
  });
});
