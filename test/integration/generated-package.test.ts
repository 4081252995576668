/**
 * The generated package's own release checks, once per target (the package's CI runs them on every push;
 * here one package per target keeps our CI time modest): scaffold with install, then its lint (`biome
 * check`: it fails on a file Biome would format), `lint:package` (publint and Are the Types Wrong? on the
 * packed tarball) and `test:consumers` (the tarball installed into CommonJS, ESM and TypeScript
 * nodenext/node16/bundler projects), and a build that drops what a deleted source file left in dist/. Installs come from the npm registry or its cache.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { TARGETS, type Target } from "../../src/tables/targets.js";
import { runCli, tempDir } from "../helpers/cli.js";

const TIMEOUT = 600_000;
// One schema per target, so the TypeBox export and a schema library's types are covered between them.
const SCHEMA_FOR: Record<Target, string> = { express: "typebox", "socket.io": "zod" };

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-generated-package-");
});
after(() => work.remove());

/**
 * `npm run <script>` in the package; the output is kept for the failure message. Without our test runner's
 * NODE_TEST_CONTEXT: a `node --test` that inherits it skips its files and exits 0.
 */
function npmRun(directory: string, script: string): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync("npm", ["run", script], { cwd: directory, encoding: "utf8", timeout: TIMEOUT, env });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.slice(-4000) };
}

for (const target of TARGETS) {
  describe(`a generated ${target} package`, { timeout: TIMEOUT }, () => {
    const name = `release-${target.replace(".", "")}`;
    let directory: string;

    before(async () => {
      const run = await runCli([name, "-t", target, "-s", SCHEMA_FOR[target] ?? "none", "--install", "--no-git", "--pm", "npm"], {
        cwd: work.path,
        timeoutMs: TIMEOUT,
      });
      assert.equal(run.code, 0, run.stderr);
      directory = path.join(work.path, name);
    });

    // lint and lint:package fetch their pinned tools through npx (not devDependencies).
    for (const script of ["lint", "lint:package", "test:consumers"]) {
      it(`passes npm run ${script}`, () => {
        const { status, output } = npmRun(directory, script);
        assert.equal(status, 0, output);
        if (script === "test:consumers") assert.match(output, /# pass 6\b/, "the six consumer setups ran (TypeScript module commonjs too)");
      });
    }

    it("test/consumers.ts is already formatted as the package's own Biome would format it", () => {
      const biome = (
        JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as { scripts: Record<string, string> }
      ).scripts.lint?.split(" ")[2];
      assert.match(biome ?? "", /^@biomejs\/biome@\d/);
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
      const result = spawnSync("npx", ["--yes", biome!, "format", "test/consumers.ts"], { cwd: directory, encoding: "utf8", timeout: TIMEOUT, env });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    });

    it("npm run lint fails on a file Biome would format, and npm run format puts it back", () => {
      const file = path.join(directory, "src", "index.ts");
      const generated = readFileSync(file, "utf8");
      writeFileSync(file, generated.replace(";\n", ";   \n"));
      const failed = npmRun(directory, "lint");
      assert.notEqual(failed.status, 0, failed.output);
      assert.match(failed.output, /src\/index\.ts format/);
      const { status, output } = npmRun(directory, "format");
      assert.equal(status, 0, output);
      assert.equal(readFileSync(file, "utf8"), generated);
      assert.equal(npmRun(directory, "lint").status, 0);
    });

    it("builds dist/ from scratch: a file left by a deleted source is gone", () => {
      writeFileSync(path.join(directory, "dist", "deleted.js"), "export {};\n");
      const { status, output } = npmRun(directory, "build");
      assert.equal(status, 0, output);
      assert.ok(existsSync(path.join(directory, "dist", "index.cjs")));
      assert.ok(!existsSync(path.join(directory, "dist", "deleted.js")));
    });
  });
}
