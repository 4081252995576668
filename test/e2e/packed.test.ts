/**
 * The package as npm publishes it: `npm pack` of the built tree, installed offline into an empty project
 * (so nothing can come from the registry or from this repository's node_modules). It must install as one
 * package, and its CLI, its lazily loaded chunks and its library entry must work from there.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO, tempDir } from "../helpers/cli.js";

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

const manifest = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
let work: { path: string; remove: () => Promise<void> };
let packed: PackResult;
let project: string;
let env: NodeJS.ProcessEnv;

const npm = (args: string[], cwd: string) => spawnSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
const node = (args: string[], cwd = project) => spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });

before(async () => {
  work = await tempDir("cm-packed-");
  const gitConfig = path.join(work.path, "gitconfig");
  await writeFile(gitConfig, "[user]\n\tname = Packed Tester\n\temail = packed@example.com\n");
  // A fresh npm cache: the install below must need nothing but the tarball.
  env = { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1", NODE_PATH: "", NO_COLOR: "1", npm_config_cache: path.join(work.path, "npm-cache") };
  // dist/ is built by `npm test` (and `prepare`); packing must not rebuild it.
  const pack = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work.path], REPO);
  assert.equal(pack.status, 0, pack.stderr);
  packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;
  project = path.join(work.path, "project");
  await mkdir(project);
  await writeFile(path.join(project, "package.json"), '{ "name": "packed-try", "private": true, "type": "commonjs" }\n');
  const install = npm(["install", "--offline", "--no-audit", "--no-fund", path.join(work.path, packed.filename)], project);
  assert.equal(install.status, 0, install.stderr);
});
after(() => work.remove());

describe("the packed tarball", () => {
  it("has no runtime dependencies, carries its chunks and the third-party notices, and no sources", () => {
    assert.equal(manifest.dependencies, undefined, "package.json has no dependencies");
    const files = packed.files.map((file) => file.path);
    for (const file of ["bin/create-middleware.cjs", "dist/cli.cjs", "dist/index.js", "dist/THIRD-PARTY-NOTICES.md"]) {
      assert.ok(files.includes(file), `the tarball holds ${file}`);
    }
    for (const chunk of ["execa", "prompts", "handlebars", "handlebars-runtime"]) {
      assert.ok(files.includes(`dist/chunks/${chunk}.cjs`), `the tarball holds the ${chunk} chunk`);
    }
    assert.deepEqual(
      files.filter((file) => file.startsWith("src/") || file.startsWith("test/") || file.includes("node_modules")),
      [],
    );
  });

  it("installs as exactly one package, offline", async () => {
    const lock = JSON.parse(await readFile(path.join(project, "node_modules", ".package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(lock.packages), [`node_modules/${manifest.name}`]);
  });

  it("names every bundled library in its notices, with its licence text", async () => {
    const notices = await readFile(path.join(project, "node_modules", manifest.name, "dist", "THIRD-PARTY-NOTICES.md"), "utf8");
    for (const library of ["commander", "prompts", "execa", "handlebars", "validate-npm-package-name"]) {
      assert.match(notices, new RegExp(`^## ${library} \\d+\\.\\d+\\.\\d+ \\(`, "m"), library);
    }
    assert.match(notices, /Permission is hereby granted/);
  });

  it("scaffolds through its bin, with git (the execa chunk)", async () => {
    const result = node([path.join(project, "node_modules", ".bin", "create-middleware"), "my-x", "--yes", "--no-install"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /initial commit/);
    const pkg = JSON.parse(await readFile(path.join(project, "my-x", "package.json"), "utf8")) as { name: string };
    assert.equal(pkg.name, "my-x");
    assert.ok(existsSync(path.join(project, "my-x", ".git")));
  });

  it("renders a team pack through the Handlebars compiler chunk", async () => {
    const bin = path.join(project, "node_modules", ".bin", "create-middleware");
    assert.equal(node([bin, "template", "init", "pack"]).status, 0);
    await writeFile(path.join(project, "pack", "base", "NOTES.md.hbs"), "# {{md packageName}}\n\n{{#if description}}{{md description}}{{/if}}\n");
    const result = node([bin, "from-pack", "--yes", "--no-install", "--no-git", "--template", "./pack", "--description", "A *pack*."]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(await readFile(path.join(project, "from-pack", "NOTES.md"), "utf8"), "# from-pack\n\nA \\*pack\\*.\n");
  });

  it("loads every chunk on its own (prompts is only reached from a terminal)", async () => {
    const chunks = path.join(project, "node_modules", manifest.name, "dist", "chunks");
    for (const chunk of await readdir(chunks)) {
      const loaded = node([
        "-e",
        `const m = require(${JSON.stringify(path.join(chunks, chunk))}); if (!m || (typeof m !== "function" && Object.keys(m).length === 0)) process.exit(3)`,
      ]);
      assert.equal(loaded.status, 0, `${chunk}: ${loaded.stderr}`);
    }
  });

  it("works as a library through import and require", () => {
    const plan = `const { answers } = await m.resolveCreate({ directory: "lib-x", target: "socket.io", schema: "zod", install: false, git: false }, { cwd: process.cwd() });
      const { plan } = await m.createMiddlewarePackage({ answers, environment: { author: "A", year: 2026 }, dryRun: true });
      if (!plan.files.some((file) => file.path === "src/index.ts")) throw new Error("no src/index.ts in the plan");
      console.log(plan.files.length);`;
    const imported = node(["--input-type=module", "-e", `import * as m from ${JSON.stringify(manifest.name)};\n${plan}`]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.ok(Number(imported.stdout) > 5);
    const required = node([
      "-e",
      `const m = require(${JSON.stringify(manifest.name)});\n(async () => {\n${plan}\n})().catch((error) => { console.error(error); process.exit(1); });`,
    ]);
    assert.equal(required.status, 0, required.stderr);
    assert.equal(required.stdout, imported.stdout);
  });

  it("the library reaches the compiler and execa chunks too (a team pack, git)", async () => {
    // The pack is the one the team-pack test above made.
    const create = `import * as m from ${JSON.stringify(manifest.name)};
      const { answers } = await m.resolveCreate({ directory: "lib-pack", target: "express", schema: "none", description: "Lib.", install: false, git: true }, { cwd: process.cwd() });
      const result = await m.createMiddlewarePackage({ answers, template: "./pack" });
      if (!result.git?.committed) throw new Error("no commit: " + JSON.stringify(result.git));`;
    const result = node(["--input-type=module", "-e", create]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(await readFile(path.join(project, "lib-pack", "NOTES.md"), "utf8"), "# lib-pack\n\nLib.\n");
  });

  it("its type declarations resolve and check in a TypeScript project", async () => {
    await writeFile(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          typeRoots: [path.join(REPO, "node_modules", "@types")],
          types: ["node"],
        },
        files: ["use.mts"],
      }),
    );
    await writeFile(
      path.join(project, "use.mts"),
      `import { createMiddlewarePackage, resolveCreate, type Answers, type CreateResult } from ${JSON.stringify(manifest.name)};
const { answers }: { answers: Answers } = await resolveCreate({ directory: "typed", install: false, git: false }, { cwd: "." });
const result: CreateResult = await createMiddlewarePackage({ answers, dryRun: true });
const count: number = result.plan.files.length;
// @ts-expect-error: the directory is a string
await resolveCreate({ directory: 42 }, { cwd: "." });
export { count };
`,
    );
    const tsc = node([path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
    assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  });
});
