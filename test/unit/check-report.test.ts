/**
 * The pure parts of a full check: pack contents, judging a finished command, log cleaning, failures and
 * the table. The e2e test runs them for real; these pin the rules without a minute-long run.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { palette } from "../../src/system/output.js";
import type { RunResult } from "../../src/system/run-command.js";
import { packedFiles, packProblems, REQUIRED_FILES } from "../../src/check/pack-contents.js";
import { firstError, logTail } from "../../src/system/clean-output.js";
import { failuresOf, type CheckReport, type CombinationResult, type InstallResult } from "../../src/check/report.js";
import { judge } from "../../src/check/steps.js";
import { formatFailures, formatTable } from "../../src/check/table.js";

const run = (overrides: Partial<RunResult>): RunResult => ({
  command: "npm run typecheck",
  ok: true,
  exitCode: 0,
  failure: undefined,
  stdout: "",
  output: "",
  durationMs: 1234,
  ...overrides,
});

const packJson = (files: string[]) => `> prepack noise\n${JSON.stringify([{ name: "x", files: files.map((path) => ({ path, size: 1 })) }])}`;

describe("pack contents", () => {
  it("reads npm pack --dry-run --json after any lifecycle noise, sorted, with forward slashes", () => {
    assert.deepEqual(packedFiles(packJson(["dist\\index.js", "README.md", "package.json"])), ["README.md", "dist/index.js", "package.json"]);
    assert.throws(() => packedFiles("no json here"), /no JSON/);
    assert.throws(() => packedFiles("[{}]"), /no file list/);
  });

  it("requires the published files and forbids sources, tests and examples", () => {
    assert.deepEqual(packProblems([...REQUIRED_FILES, "dist/options.js"]), []);
    const problems = packProblems(["package.json", "dist/index.js", "src/index.ts", "example/server.ts"]);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? "", /missing from the tarball: README.md, LICENSE, dist\/index.d.ts/);
    assert.match(problems[1] ?? "", /must not be published: src\/index.ts, example\/server.ts/);
  });
});

describe("judging a step", () => {
  it("passes a command that succeeded, with no log", () => {
    const result = judge("typecheck", "npm run typecheck", run({}));
    assert.deepEqual(result, { name: "typecheck", durationMs: 1234, command: "npm run typecheck", status: "pass" });
  });

  it("fails with the first tsc error as the message and npm's chatter gone from the log", () => {
    const output = [
      "> check-express-zod@0.1.0 typecheck",
      "> tsc --noEmit",
      "",
      "src/options.ts(40,14): error TS2322: Type 'string' is not assignable to type 'number'.",
      "npm error Lifecycle script `typecheck` failed with error:",
      "npm error code 2",
    ].join("\n");
    const result = judge("typecheck", "npm run typecheck", run({ ok: false, exitCode: 2, failure: "failed", output }));
    assert.equal(result.status, "fail");
    assert.equal(
      result.message,
      "npm run typecheck exited with 2: src/options.ts(40,14): error TS2322: Type 'string' is not assignable to type 'number'.",
    );
    assert.equal(result.log, "src/options.ts(40,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  });

  it("names a timeout", () => {
    assert.equal(judge("test", "npm test", run({ ok: false, exitCode: undefined, failure: "timed-out" })).message, "npm test timed out");
  });

  it("fails a pack whose tarball breaks the rules, and one whose output is unreadable", () => {
    const bad = judge("pack", "npm pack", run({ stdout: packJson(["package.json", "src/index.ts"]) }));
    assert.equal(bad.status, "fail");
    assert.match(bad.message ?? "", /missing from the tarball.*; must not be published: src\/index.ts/);
    const unreadable = judge("pack", "npm pack", run({ stdout: "oops" }));
    assert.match(unreadable.message ?? "", /could not read the file list/);
    assert.equal(judge("pack", "npm pack", run({ stdout: packJson([...REQUIRED_FILES]) })).status, "pass");
  });
});

describe("logs", () => {
  it("finds the first error-looking line by kind: tsc, then TAP, then a thrown error", () => {
    assert.equal(firstError("x\nError: boom\nsrc/a.ts(1,2): error TS1005: ';' expected."), "src/a.ts(1,2): error TS1005: ';' expected.");
    assert.equal(firstError("ok 1 - a\nnot ok 2 - b\nError: later"), "not ok 2 - b");
    assert.equal(firstError("all good"), undefined);
  });

  it("keeps the last lines, says how many came before, and drops colour codes", () => {
    const output = Array.from({ length: 50 }, (_, index) => `\u001b[31mline ${index + 1}\u001b[39m`).join("\n");
    const tail = logTail(output, 5);
    assert.equal(tail, "… (45 earlier lines)\nline 46\nline 47\nline 48\nline 49\nline 50");
  });
});

const install: InstallResult = { status: "pass", durationMs: 10_000, command: "npm install" };
const passing = (id: string): CombinationResult => ({
  id,
  target: "express",
  schema: "none",
  starter: "request-id",
  packageName: "check-express-none",
  directory: "packages/express-none",
  status: "pass",
  durationMs: 3000,
  steps: (["render", "typecheck", "lint", "build", "test", "pack", "publint"] as const).map((name) => ({ name, status: "pass", durationMs: 500 })),
});
const failing: CombinationResult = {
  ...passing("express+zod"),
  status: "fail",
  steps: [
    { name: "render", status: "pass", durationMs: 20 },
    {
      name: "typecheck",
      status: "fail",
      durationMs: 2100,
      command: "npm run typecheck",
      message: "exited with 2",
      log: "src/options.ts(3,1): error TS2322: x",
    },
    { name: "lint", status: "skipped", durationMs: 0, message: 'package.json has no "lint" script' },
    { name: "build", status: "fail", durationMs: 1900, message: "exited with 2" },
    { name: "test", status: "pass", durationMs: 900 },
    { name: "pack", status: "skipped", durationMs: 0, message: "the build failed" },
    { name: "publint", status: "skipped", durationMs: 0, message: "the build failed" },
  ],
};

describe("failures and the table", () => {
  it("lists every failed step in order, the shared install first", () => {
    const failures = failuresOf({ ...install, status: "fail", message: "npm install exited with 1" }, [passing("express+none"), failing]);
    assert.deepEqual(
      failures.map((failure) => `${failure.combination} ${failure.step}: ${failure.message}`),
      ["workspace install: npm install exited with 1", "express+zod typecheck: exited with 2", "express+zod build: exited with 2"],
    );
  });

  it("shows each step's status and seconds, the install share, and the failed logs", () => {
    const report: CheckReport = {
      version: 1,
      ok: false,
      durationMs: 40_000,
      parallelism: 2,
      workspace: null,
      template: null,
      options: [],
      shard: null,
      install,
      combinations: [passing("express+none"), failing],
      failures: failuresOf(install, [failing]),
    };
    const table = formatTable(report, palette()).split("\n");
    assert.match(table[0] ?? "", /^combination\s+render\s+typecheck\s+lint\s+build\s+test\s+pack\s+publint\s+total$/);
    assert.match(table[1] ?? "", /^express\+none\s+✓ 0\.5s\s+✓ 0\.5s/);
    assert.match(table[2] ?? "", /^express\+zod\s+✓ 0\.0s\s+✗ 2\.1s\s+skip\s+✗ 1\.9s\s+✓ 0\.9s\s+skip\s+skip\s+3\.0s$/);
    assert.match(table.at(-1) ?? "", /install \(shared\): pass 10\.0s\s+total: 40\.0s \(install 25%\), 2 at a time/);
    const failures = formatFailures(report, palette());
    assert.match(failures, /── express\+zod · typecheck \(npm run typecheck\)\nexited with 2\nsrc\/options.ts\(3,1\): error TS2322: x/);
    assert.doesNotMatch(failures, /express\+none/);
  });
});
