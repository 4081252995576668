/**
 * Generated files are as the package's own Biome formats them, whatever the package name: the files
 * FORMATTED lists (test/helpers/generated-format.ts), rendered in memory for every target x starter x schema,
 * with the starter's fields and with -o fields, are linted and formatted by this repository's Biome, the
 * version the generated package pins, with the generated biome.jsonc. Nothing may change and the linter may
 * report nothing: the package's `lint` script is `biome check`, which fails on either (the last test here).
 *
 * This fast-tier check takes a dozen names: the shortest and longest of each kind and a seeded sample
 * (FORMAT_SEED=<n> draws others; the failure message names the seed). test/integration/generated-format.test.ts
 * sweeps every length from 1 to 70. Where a name makes a line long, the template gives each layout Biome
 * could print and `{{#fits}}` picks the one it would (templates/base/_partials/cts-alias.hbs).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { FITS_WIDTH } from "../../src/render/render.js";
import { CHECK_TOOLS, TARGETS } from "../../src/tables/targets.js";
import { REPO, tempDir } from "../helpers/cli.js";
import { startersFor } from "../../src/tables/starters.js";
import { biomeChanges, FORMATTED, sampleNames } from "../helpers/generated-format.js";

const SEED = Number(process.env.FORMAT_SEED ?? 27);
const NAMES = sampleNames(12, SEED);

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

  it("the sample holds a dozen distinct names, the shortest and the longest among them", () => {
    assert.equal(new Set(NAMES).size, 12);
    assert.ok(NAMES.some((name) => name.length === 1) && NAMES.some((name) => name.length === 70));
  });

  it("the sweep checks every TypeScript and JSON file a package gets", async () => {
    const fields = ["level:info|debug=info", "tags:string[]"].map(parseOptionSpec);
    for (const target of TARGETS) {
      for (const starter of startersFor(target)) {
        for (const given of [undefined, fields]) {
          const plan = await planMiddlewarePackage(
            {
              directory: "/tmp/never-written/x",
              packageName: "x",
              target,
              schema: "typebox",
              starter,
              description: "",
              fields: given,
              packageManager: "npm",
              install: false,
              git: false,
            },
            { environment: { author: "A", year: 2026 } },
          );
          const code = plan.files.map((file) => file.path).filter((file) => /\.(ts|cts|json|jsonc)$/.test(file));
          assert.deepEqual(
            code.filter((file) => !FORMATTED.includes(file)),
            [],
            `${target}/${starter}`,
          );
        }
      }
    }
  });

  it(`Biome changes nothing and its linter reports nothing in ${FORMATTED.join(", ")} for a sample of names (seed ${SEED}), every target, starter and schema`, async () => {
    const { changed, diagnostics, checked } = await biomeChanges(work.path, NAMES);
    assert.ok(checked >= FORMATTED.length, "files were rendered");
    assert.deepEqual(
      changed.slice(0, 5),
      [],
      `Biome reformats ${changed.length} of ${checked} distinct files (FORMAT_SEED=${SEED}; names: ${NAMES.join(" ")})`,
    );
    assert.deepEqual(diagnostics.slice(0, 5), [], `Biome's linter reports ${diagnostics.length} diagnostics (FORMAT_SEED=${SEED})`);
  });
});

/** The package's script `name` run with this repository's Biome, the version the script fetches through npx. */
async function runScript(directory: string, script: string | undefined): Promise<{ code: number; output: string }> {
  const prefix = `npx --yes ${CHECK_TOOLS.biome} `;
  assert.ok(script?.startsWith(prefix), `${script} runs the pinned Biome`);
  if (script === undefined) throw new Error("no such script");
  const biome = path.join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");
  return promisify(execFile)(process.execPath, [biome, ...script.slice(prefix.length).split(" "), "--colors=off"], { cwd: directory }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout}${error.stderr}` }),
  );
}

describe("the generated package's lint script checks the format", () => {
  let work: { path: string; remove: () => Promise<void> };
  before(async () => {
    work = await tempDir("cm-format-lint-");
  });
  after(() => work?.remove());

  it("passes on a fresh package (with -o fields), fails once a file is un-formatted, and passes again after the format script", async () => {
    const fields = ["level:info|debug=info", "maxItems:number=10", "tags:string[]", "verbose:boolean", "label:string=it's"].map(parseOptionSpec);
    const plan = await planMiddlewarePackage(
      {
        directory: work.path,
        packageName: "@acme/rate",
        target: "socket.io",
        schema: "zod",
        starter: "rate-limit",
        description: "",
        fields,
        packageManager: "npm",
        install: false,
        git: false,
      },
      { environment: { author: "Ann Lee", year: 2026 } },
    );
    for (const file of plan.files) {
      await mkdir(path.dirname(path.join(work.path, file.path)), { recursive: true });
      await writeFile(path.join(work.path, file.path), file.contents);
    }
    const scripts = (JSON.parse(await readFile(path.join(work.path, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.lint ?? "", / check$/, "lint is biome check: the linter and the formatter");
    const fresh = await runScript(work.path, scripts.lint);
    assert.equal(fresh.code, 0, fresh.output);

    const index = path.join(work.path, "src", "index.ts");
    const formatted = await readFile(index, "utf8");
    // Code that runs the same, laid out as Biome would not: spaces after a statement, an indent too deep.
    const unformatted = formatted.replace(";\n", ";   \n").replace(/^( +)(\S)/m, "$1$1$2");
    assert.notEqual(unformatted, formatted);
    await writeFile(index, unformatted);
    const failed = await runScript(work.path, scripts.lint);
    assert.notEqual(failed.code, 0, "lint fails on a file Biome would format");
    assert.match(failed.output, /src\/index\.ts format/);

    const format = await runScript(work.path, scripts.format);
    assert.equal(format.code, 0, format.output);
    assert.equal(await readFile(index, "utf8"), formatted, "the format script puts the file back as generated");
    const again = await runScript(work.path, scripts.lint);
    assert.equal(again.code, 0, again.output);
  });
});
