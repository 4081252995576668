/**
 * The built CLI renders from templates precompiled at build time; the library, run from source, compiles
 * them at run time. Both must write the same bytes for every target x schema.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SCHEMAS } from "../../src/schemas.js";
import { TARGETS } from "../../src/targets.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { resolveAnswers } from "../../src/resolve-answers.js";
import { runCli, tempDir } from "../helpers/cli.js";

const AUTHOR = "Precompiled Tester";
let work: { path: string; remove: () => Promise<void> };
let gitConfig: string;

before(async () => {
  work = await tempDir("cm-precompiled-");
  gitConfig = path.join(work.path, "gitconfig");
  await writeFile(gitConfig, `[user]\n\tname = ${AUTHOR}\n`);
});
after(() => work.remove());

const cases = [
  ...TARGETS.flatMap((target) => SCHEMAS.map((schema) => ({ target, schema, options: [] as string[] }))),
  { target: "express", schema: "zod", options: ["level:info|debug=info", "tags:string[]=a,b", "max:number=3", "on:boolean"] },
];

describe("precompiled templates render exactly like compiled ones", () => {
  for (const { target, schema, options } of cases) {
    it(`${target} x ${schema}${options.length ? " with option fields" : ""}`, async () => {
      const name = `p-${target.replace(".", "")}-${schema}-${options.length}`;
      const flags = ["--target", target, "--schema", schema, ...options.flatMap((spec) => ["-o", spec]), "--description", "a `b` */ c"];
      const result = await runCli([name, "--yes", "--no-install", "--no-git", ...flags], {
        cwd: work.path,
        env: { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1" },
      });
      assert.equal(result.code, 0, result.stderr);

      const answers = await resolveAnswers(
        { directory: name, target, schema, description: "a `b` */ c", ...(options.length ? { option: options } : {}), install: false, git: false },
        { cwd: work.path },
      );
      const plan = await planMiddlewarePackage(answers, { environment: { author: AUTHOR, year: new Date().getFullYear() } });
      for (const file of plan.files) {
        const written = await readFile(path.join(work.path, name, file.path));
        assert.equal(written.toString("utf8"), file.contents.toString("utf8"), file.path);
      }
    });
  }
});
