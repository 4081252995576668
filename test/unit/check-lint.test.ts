/**
 * check's lint step: where it runs among the steps, how a finished lint is judged (Biome's files named, a
 * linter npx could not fetch explained, no lint script skipped), and that a package's own lint script runs
 * for real: the repository's Biome (the release generated packages pin) on a package with one unformatted file.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { biomeErrors, describeLintProblems, lintProblemsIn } from "../../src/check/lint-output.js";
import { combinationStatus, STEP_NAMES, type StepResult } from "../../src/check/report.js";
import { judge, PACKAGE_STEPS, runScriptSteps, scriptEnvironment } from "../../src/check/steps.js";
import { localBin, runScript, withLocalNpx } from "../../src/check/scripts.js";
import type { RunResult } from "../../src/system/run-command.js";
import { REPO } from "../helpers/cli.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-check-lint-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const BIOME = path.join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");
const COMMAND = "npx --yes @biomejs/biome@2.6.9 check";

const failed = (output: string, exitCode = 1): RunResult => ({
  command: COMMAND,
  ok: false,
  exitCode,
  failure: "failed",
  stdout: output,
  output,
  durationMs: 10,
});

/** Biome 2.6.9's output for one unformatted file, one lint error and one warning (NO_COLOR, to a pipe). */
const BIOME_OUTPUT = [
  "src/index.ts:1:1 lint/style/useConst  FIXABLE  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
  "",
  "  ! This let declares a variable that is only assigned once.",
  "",
  "src/extra.ts format ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
  "",
  "  × Formatter would have printed the following content:",
  "",
  "    1 │ export·const·a·=·{·b:·1·};",
  "",
  "src/index.ts:4:1 lint/suspicious/noVar  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
  "",
  "  × Use let or const instead of var.",
  "",
  "Checked 4 files in 4ms. No fixes applied.",
  "Found 2 errors.",
  "Found 1 warning.",
  "check ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
  "",
  "  × Some errors were emitted while running checks.",
].join("\n");

describe("the lint step's place", () => {
  it("runs after typecheck and before build, in the report, the table and the per-package steps", () => {
    assert.deepEqual(STEP_NAMES, ["render", "typecheck", "lint", "build", "test", "pack", "publint"]);
    assert.deepEqual(PACKAGE_STEPS, STEP_NAMES.slice(1));
  });

  it("a skipped step alone fails no combination; a failed step or install does", () => {
    const steps = (lint: StepResult["status"]): StepResult[] =>
      STEP_NAMES.map((name) => ({ name, status: name === "lint" ? lint : "pass", durationMs: 1 }));
    assert.equal(combinationStatus(steps("skipped"), { status: "pass" }), "pass");
    assert.equal(combinationStatus(steps("fail"), { status: "pass" }), "fail");
    assert.equal(combinationStatus(steps("pass"), { status: "fail" }), "fail");
  });
});

describe("judging a lint", () => {
  it("reads Biome's errors (not its warnings) with their files and places", () => {
    assert.deepEqual(biomeErrors(BIOME_OUTPUT), [
      { file: "src/extra.ts", category: "format" },
      { file: "src/index.ts", line: 4, column: 1, category: "lint/suspicious/noVar" },
    ]);
    assert.deepEqual(biomeErrors("Checked 4 files in 4ms. No fixes applied."), []);
  });

  it("a failed Biome names each file in the message, at most five", () => {
    const result = judge("lint", COMMAND, failed(BIOME_OUTPUT));
    assert.equal(result.status, "fail");
    assert.equal(result.message, `${COMMAND} exited with 1: src/extra.ts (format), src/index.ts:4:1 (lint/suspicious/noVar)`);
    assert.match(result.log ?? "", /Formatter would have printed/);
    const many = Array.from({ length: 7 }, (_, index) => ({ file: `src/f${index}.ts`, category: "format" }));
    assert.equal(
      describeLintProblems(many),
      "src/f0.ts (format), src/f1.ts (format), src/f2.ts (format), src/f3.ts (format), src/f4.ts (format) and 2 more",
    );
  });

  it("the listed problems read back from the message (for the GitHub reporter)", () => {
    const problems = biomeErrors(BIOME_OUTPUT);
    assert.deepEqual(lintProblemsIn(judge("lint", COMMAND, failed(BIOME_OUTPUT)).message ?? ""), problems);
    assert.equal(
      lintProblemsIn(
        `${COMMAND} exited with 1: ${describeLintProblems(
          Array(7)
            .fill(problems[0])
            .map((p, i) => ({ ...p, file: `f${i}.ts` })),
        )}`,
      ).length,
      5,
    );
    assert.deepEqual(lintProblemsIn("eslint . exited with 1: ✖ 1 problem (1 error, 0 warnings)"), []);
    assert.deepEqual(lintProblemsIn(`${COMMAND} timed out`), []);
  });

  it("another linter's failure gives its first error line", () => {
    const eslint =
      "/w/packages/x/src/index.ts\n  3:7  error  'a' is assigned a value but never used  no-unused-vars\n\n✖ 1 problem (1 error, 0 warnings)";
    assert.equal(judge("lint", "eslint .", failed(eslint)).message, "eslint . exited with 1: ✖ 1 problem (1 error, 0 warnings)");
  });

  it("a linter npx could not fetch (offline, no registry) says so and how to fix it", () => {
    const output = "npm error code ENOTCACHED\nnpm error request to https://registry.npmjs.org/eslint failed: cache mode is 'only-if-cached'";
    const message = judge("lint", "npx --yes eslint@9 .", failed(output)).message ?? "";
    assert.match(message, /could not fetch its linter \(ENOTCACHED\)/);
    assert.match(message, /without --offline/);
    assert.match(
      judge("lint", "npx --yes eslint@9 .", failed("npm error code EAI_AGAIN\nnpm error getaddrinfo EAI_AGAIN registry.npmjs.org")).message ?? "",
      /\(EAI_AGAIN\)/,
    );
  });

  it("npx in a script prefers npm's cache, and with --offline fetches nothing", () => {
    assert.deepEqual(scriptEnvironment(false), { npm_config_prefer_offline: "true" });
    assert.deepEqual(scriptEnvironment(true), { npm_config_offline: "true" });
  });
});

describe("the lint step, run for real", { skip: process.platform === "win32" }, () => {
  /** A package in a workspace whose typecheck, build and test pass at once, and whose lint is `lint` (none: no script). */
  function makePackage(name: string, lint: string | undefined, files: Record<string, string>): { workspaceRoot: string; packageDirectory: string } {
    const workspaceRoot = path.join(scratch, name);
    const packageDirectory = path.join(workspaceRoot, "packages", name);
    mkdirSync(path.join(packageDirectory, "src"), { recursive: true });
    const scripts: Record<string, string> = { typecheck: "echo typed", build: "echo built", test: "echo tested" };
    if (lint !== undefined) scripts.lint = lint;
    writeFileSync(path.join(packageDirectory, "package.json"), `${JSON.stringify({ name, version: "0.1.0", scripts }, null, 2)}\n`);
    writeFileSync(path.join(packageDirectory, "biome.json"), '{ "formatter": { "indentStyle": "space" } }\n');
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(packageDirectory, file), text);
    return { workspaceRoot, packageDirectory };
  }
  const lintScript = `node ${JSON.stringify(BIOME)} check`;

  it("fails on a file Biome would reformat, naming it, and the later steps still run", async () => {
    const context = makePackage("unformatted", lintScript, { "src/index.ts": "export const a = 1;\n", "src/extra.ts": "export const a = {b:1}\n" });
    const results = await runScriptSteps(context, () => {});
    assert.deepEqual(
      results.map((step) => `${step.name} ${step.status}`),
      ["typecheck pass", "lint fail", "build pass", "test pass"],
    );
    const lint = results[1];
    assert.equal(lint?.command, lintScript);
    assert.match(lint?.message ?? "", /exited with 1: src\/extra\.ts \(format\)$/);
  });

  it("passes a formatted package", async () => {
    const context = makePackage("formatted", lintScript, { "src/index.ts": "export const a = { b: 1 };\n" });
    const results = await runScriptSteps(context, () => {});
    assert.deepEqual(
      results.map((step) => `${step.name} ${step.status}`),
      ["typecheck pass", "lint pass", "build pass", "test pass"],
    );
  });

  it("is skipped, with the reason, in a package without a lint script; a missing typecheck still fails", async () => {
    const context = makePackage("no-lint", undefined, { "src/index.ts": "export const a = {b:1}\n" });
    const results = await runScriptSteps(context, () => {});
    assert.deepEqual(results[1], { name: "lint", status: "skipped", durationMs: 0, message: 'package.json has no "lint" script' });
    assert.ok(results.filter((step) => step.name !== "lint").every((step) => step.status === "pass"));
    writeFileSync(path.join(context.packageDirectory, "package.json"), JSON.stringify({ name: "no-lint", scripts: { build: "true", test: "true" } }));
    const [typecheck] = await runScriptSteps(context, () => {});
    assert.equal(typecheck?.status, "fail");
    assert.equal(typecheck?.message, 'package.json has no "typecheck" script');
  });
});

describe("a pinned npx tool the workspace has installed", { skip: process.platform === "win32" }, () => {
  /** A workspace whose root node_modules holds `name`@`version` with a bin that says it ran. */
  function workspaceWith(folder: string, name: string, version: string, bin: Record<string, string> | string): string {
    const root = path.join(scratch, folder);
    const installed = path.join(root, "node_modules", name);
    mkdirSync(installed, { recursive: true });
    mkdirSync(path.join(root, "node_modules", ".bin"), { recursive: true });
    writeFileSync(path.join(installed, "package.json"), JSON.stringify({ name, version, bin }));
    const binName = typeof bin === "string" ? name.slice(name.lastIndexOf("/") + 1) : (Object.keys(bin)[0] as string);
    const file = path.join(root, "node_modules", ".bin", binName);
    writeFileSync(file, '#!/bin/sh\necho "local $0 $*"\n');
    chmodSync(file, 0o755);
    return root;
  }

  it("starts the installed bin instead of npx when the version is exactly the one pinned", () => {
    const root = workspaceWith("pinned", "@biomejs/biome", "2.6.9", { biome: "bin/biome" });
    const bin = path.join(root, "node_modules", ".bin", "biome");
    assert.equal(localBin(root, "@biomejs/biome", "2.6.9"), bin);
    assert.equal(withLocalNpx("npx --yes @biomejs/biome@2.6.9 check", root), `'${bin}' check`);
    assert.equal(withLocalNpx("npx -y @biomejs/biome@2.6.9 check && echo done", root), `'${bin}' check && echo done`);
    assert.equal(withLocalNpx("npx --yes @biomejs/biome@2.6.8 check", root), "npx --yes @biomejs/biome@2.6.8 check", "another version: npx decides");
    assert.equal(withLocalNpx("npx --yes @biomejs/biome check", root), "npx --yes @biomejs/biome check", "no version: npx decides");
    assert.equal(withLocalNpx("eslint . && npx --yes @biomejs/biome@2.6.9 check", root), "eslint . && npx --yes @biomejs/biome@2.6.9 check");
    assert.equal(withLocalNpx("npx --yes eslint@9.0.0 .", root), "npx --yes eslint@9.0.0 .", "not installed");
  });

  it("runs it for the package's script, and the report still shows the script", async () => {
    const root = workspaceWith("run", "@biomejs/biome", "2.6.9", { biome: "bin/biome" });
    const packageDirectory = path.join(root, "packages", "x");
    mkdirSync(packageDirectory, { recursive: true });
    writeFileSync(
      path.join(packageDirectory, "package.json"),
      JSON.stringify({ name: "x", scripts: { lint: "npx --yes @biomejs/biome@2.6.9 check" } }),
    );
    const { command, run } = await runScript("lint", { packageDirectory, workspaceRoot: root, timeoutMs: 30_000 });
    assert.equal(command, "npx --yes @biomejs/biome@2.6.9 check");
    assert.equal(run.ok, true, run.output);
    assert.equal(run.stdout, `local ${path.join(root, "node_modules", ".bin", "biome")} check`);
  });
});
