/**
 * The library's public entry (src/index.ts) is the resolver, createMiddlewarePackage and the error classes,
 * beside types: anything more is a promise to users, made here on purpose or not at all.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as library from "../../src/index.js";

describe("the public API", () => {
  it("exports the resolver, createMiddlewarePackage and the error classes, nothing else", () => {
    assert.deepEqual(Object.keys(library).sort(), ["CancelledError", "FailedError", "UsageError", "createMiddlewarePackage", "resolveCreate"]);
  });

  it("the resolver's answers make a package (a dry run: the plan, nothing written)", async () => {
    const run = await library.resolveCreate(
      { directory: "api-probe", target: "express", schema: "zod", starter: "logger", install: false, git: false },
      { cwd: process.cwd(), env: {}, year: 2026 },
    );
    const result = await library.createMiddlewarePackage({
      answers: run.answers,
      template: run.pack,
      vars: run.vars,
      environment: run.environment,
      dryRun: true,
    });
    assert.equal(result.dryRun, true);
    assert.equal(result.plan.answers.packageName, "api-probe");
    assert.ok(result.plan.files.some((file) => file.path === "src/index.ts"));
    assert.ok(result.plan.files.some((file) => file.path === ".create-middleware.json"));
  });
});
