/**
 * `create-middleware check`, spawned as CI would (no TTY). The matrices are narrowed to keep CI time down:
 * each run installs one shared workspace. The JSON report is validated against docs/check.md.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { CheckReport } from "../../src/check/report.js";
import { BIN, REPO, runCli, tempDir } from "../helpers/cli.js";

const FIXTURES = path.join(REPO, "test", "fixtures");
const SLOW = { timeoutMs: 600_000 };
const STEPS = ["render", "typecheck", "lint", "build", "test", "pack", "publint"];
const STATUSES = ["pass", "fail", "skipped"];
const SCHEMAS = ["none", "zod", "valibot", "typebox", "joi"];
const STARTERS_BY_TARGET: Record<string, string[]> = {
  express: ["blank", "request-id", "logger", "request-time", "async-guard", "auth", "rate-limit"],
  "socket.io": ["blank", "logger", "auth", "rate-limit"],
};

/** The default matrix as docs/check.md states it: per target, the i-th starter with the i-th schema, max(starters, schemas) of them. */
function coveringMatrix(): string[] {
  return Object.entries(STARTERS_BY_TARGET).flatMap(([target, starters]) =>
    Array.from({ length: Math.max(starters.length, SCHEMAS.length) }, (_, index) => {
      return `${target}+${SCHEMAS[index % SCHEMAS.length]}+${starters[index % starters.length]}`;
    }),
  );
}

let work: { path: string; remove: () => Promise<void> };
/** TMPDIR for the CLI, so the tests can see that the workspace is removed. */
let tmp: string;
/** The CLI's cache folder (node_modules reused between the runs of this file), not the user's. */
let cache: string;
before(async () => {
  work = await tempDir("cm-check-e2e-");
  tmp = path.join(work.path, "tmp");
  await mkdir(tmp);
  cache = path.join(work.path, "cache");
});
after(() => work.remove());

const check = (args: string[], timeoutMs = SLOW.timeoutMs) =>
  runCli(["check", ...args], {
    cwd: work.path,
    // No GitHub environment from a CI running these tests: the reporters are chosen by the flags here.
    env: {
      TMPDIR: tmp,
      TEMP: tmp,
      TMP: tmp,
      CREATE_MIDDLEWARE_CACHE: cache,
      GITHUB_ACTIONS: undefined,
      GITHUB_WORKSPACE: undefined,
      GITHUB_STEP_SUMMARY: undefined,
    },
    timeoutMs,
  });
const leftovers = async () => (await readdir(tmp)).filter((entry) => entry.startsWith("create-middleware-check-"));

// The types say what the code produces; assertReportShape below checks the documented contract at run time.
type Report = CheckReport;

const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;
const optionalString = (value: unknown) => value === undefined || typeof value === "string";

/** The shape documented in docs/check.md, checked field by field. */
function assertReportShape(value: unknown): asserts value is Report {
  const report = value as Report;
  assert.equal(report.version, 1);
  assert.equal(typeof report.ok, "boolean");
  assert.ok(isNumber(report.durationMs));
  assert.ok(Number.isInteger(report.parallelism) && report.parallelism >= 1);
  assert.ok(report.workspace === null || typeof report.workspace === "string");
  assert.ok(report.template === null || typeof report.template === "string");
  assert.ok(Array.isArray(report.options) && report.options.every((spec) => typeof spec === "string"));
  assert.ok(report.shard === null || (Number.isInteger(report.shard.index) && report.shard.index >= 1 && report.shard.index <= report.shard.count));
  assert.ok(STATUSES.includes(report.install.status));
  assert.ok(isNumber(report.install.durationMs));
  assert.equal(typeof report.install.command, "string");
  assert.ok(optionalString(report.install.message) && optionalString(report.install.log));
  assert.ok(report.install.cached === undefined || typeof report.install.cached === "boolean");
  assert.ok(Array.isArray(report.combinations) && report.combinations.length > 0);
  for (const combination of report.combinations) {
    assert.equal(combination.id, `${combination.target}+${combination.schema}+${combination.starter}`);
    assert.ok(["express", "socket.io"].includes(combination.target));
    assert.ok(["none", "zod", "valibot", "typebox", "joi"].includes(combination.schema));
    assert.ok((STARTERS_BY_TARGET[combination.target] ?? []).includes(combination.starter), combination.id);
    assert.match(combination.packageName, /^check-[a-z0-9-]+$/);
    assert.match(combination.directory, /^packages\/[a-z0-9-]+$/);
    assert.ok(["pass", "fail"].includes(combination.status));
    assert.ok(isNumber(combination.durationMs));
    assert.deepEqual(
      combination.steps.map((step) => step.name),
      STEPS,
    );
    for (const step of combination.steps) {
      assert.ok(STATUSES.includes(step.status), step.status);
      assert.ok(isNumber(step.durationMs));
      assert.ok(optionalString(step.command) && optionalString(step.message) && optionalString(step.file));
      assert.ok(step.line === undefined || Number.isInteger(step.line));
      if (step.status === "fail") assert.equal(typeof step.message, "string", `${combination.id} ${step.name} says why`);
      if (step.status !== "fail") assert.equal(step.log, undefined, "logs only for failures");
    }
    // A skipped step alone (lint without a lint script) fails nothing; the other skips follow a failure.
    assert.equal(combination.status === "pass", combination.steps.every((step) => step.status !== "fail") && report.install.status === "pass");
  }
  for (const failure of report.failures) {
    assert.equal(typeof failure.combination, "string");
    assert.ok([...STEPS, "install"].includes(failure.step));
    assert.equal(typeof failure.message, "string");
  }
  assert.equal(report.ok, report.failures.length === 0 && report.combinations.every((entry) => entry.status === "pass"));
}

function parseReport(stdout: string): Report {
  const report: unknown = JSON.parse(stdout);
  assertReportShape(report);
  return report;
}

describe("check: usage errors exit 2 before any work", () => {
  for (const args of [
    ["--target", "koa"],
    ["--schema", "yup"],
    ["--starter", "nope"],
    ["-t", "sio", "--starter", "request-id"],
    ["-o", "bad spec"],
    ["--template", "no/such/pack"],
    ["-t", "express", "-o", "skip:boolean"],
  ]) {
    it(`check ${args.join(" ")}`, async () => {
      const result = await check(args, 30_000);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /error: /);
      assert.equal(result.stdout, "");
      assert.deepEqual(await leftovers(), []);
    });
  }
});

describe("check: render errors are failed combinations, not crashes", () => {
  it("reports a broken {{#if}} with its template file and line, and exits 1", async () => {
    const result = await check([
      "-t",
      "express",
      "-s",
      "none",
      "--starter",
      "request-id",
      "--template",
      path.join(FIXTURES, "render-error-pack"),
      "--json",
    ]);
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    assert.equal(report.ok, false);
    const [combination] = report.combinations;
    const render = combination?.steps[0];
    assert.equal(render?.status, "fail");
    assert.equal(render?.file, "team pack/base/README.md.hbs");
    assert.ok(typeof render?.line === "number" && render.line >= 1, `line: ${render?.line}`);
    assert.ok(combination?.steps.slice(1).every((step) => step.status === "skipped"));
    assert.equal(report.install.status, "skipped", "nothing rendered, nothing to install");
    assert.deepEqual(
      report.failures.map((failure) => `${failure.combination} ${failure.step}`),
      ["express+none+request-id render"],
    );
    assert.match(result.stderr, /check failed .*express\+none\+request-id render/);
    assert.match(result.stderr, /team pack\/base\/README\.md\.hbs:\d+/);
    assert.deepEqual(await leftovers(), [], "the workspace is removed on failure");
  });

  it("reports a missing partial with its file; --keep keeps the workspace and prints its path", async () => {
    const result = await check([
      "-t",
      "express",
      "-s",
      "none",
      "--starter",
      "request-id",
      "--template",
      path.join(FIXTURES, "missing-partial-pack"),
      "--json",
      "--keep",
    ]);
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    const render = report.combinations[0]?.steps[0];
    assert.equal(render?.file, "team pack/express/src/extra.ts.hbs");
    assert.match(render?.message ?? "", /no-such-partial/);
    assert.equal(typeof report.workspace, "string");
    assert.ok(result.stderr.includes(`Workspace kept at ${report.workspace}`));
    assert.ok(existsSync(path.join(report.workspace as string, "package.json")));
    assert.deepEqual(await leftovers(), [path.basename(report.workspace as string)]);
    await import("node:fs/promises").then(({ rm }) => rm(report.workspace as string, { recursive: true, force: true }));
  });
});

const ALL_COMBINATIONS = coveringMatrix();

describe("check: the built-in templates pass", () => {
  it("the default matrix (every starter and schema of each target) passes every step; table on stderr, JSON on stdout", async (t) => {
    const result = await check(["--json"]);
    const report = parseReport(result.stdout);
    assert.equal(result.code, 0, `${result.stderr}\n${JSON.stringify(report.failures, null, 2)}`);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.combinations.map((entry) => entry.id),
      ALL_COMBINATIONS,
    );
    assert.equal(report.install.status, "pass");
    assert.equal(report.workspace, null);
    for (const combination of report.combinations) {
      for (const step of combination.steps) assert.equal(step.status, "pass", `${combination.id} ${step.name}: ${step.message}\n${step.log}`);
    }
    assert.match(result.stderr, /combination\s+render\s+typecheck\s+lint\s+build\s+test\s+pack\s+publint/);
    assert.match(result.stderr, /install \(shared\): pass/);
    assert.match(result.stderr, new RegExp(`check passed: ${ALL_COMBINATIONS.length} combinations`));
    assert.deepEqual(await leftovers(), []);
    // Packaging runs once for all packages: one npm pack naming each, publint in-process.
    const pack = report.combinations[0]?.steps.find((step) => step.name === "pack");
    assert.match(
      pack?.command ?? "",
      new RegExp(`^npm pack --dry-run --json --ignore-scripts( --workspace packages/[a-z0-9-]+){${ALL_COMBINATIONS.length}}$`),
    );
    // The scripts run as npm would run them, without npm: the command is the script itself.
    assert.equal(report.combinations[0]?.steps.find((step) => step.name === "typecheck")?.command, "tsc --noEmit");
    // lint is the package's own lint script: Biome through npx, found in the workspace's node_modules.
    assert.match(report.combinations[0]?.steps.find((step) => step.name === "lint")?.command ?? "", /^npx --yes @biomejs\/biome@[\d.]+ check$/);
    // The install went into the cache and the workspace's removal left it there.
    const entries = await readdir(path.join(cache, "check", "node_modules"));
    assert.equal(entries.filter((name) => /^[0-9a-f]{32}\.\d+$/.test(name)).length, 1, entries.join(", "));
    assert.ok(existsSync(path.join(cache, "check", "node_modules", entries[0] as string, "node_modules", "typescript", "package.json")));
    const lints = report.combinations.map((entry) => entry.steps.find((step) => step.name === "lint")?.durationMs ?? 0);
    t.diagnostic(
      `default matrix: ${(report.durationMs / 1000).toFixed(1)}s, of which install ${(report.install.durationMs / 1000).toFixed(1)}s; ` +
        `lint ${(lints.reduce((sum, ms) => sum + ms, 0) / 1000).toFixed(1)}s over ${lints.length} packages (slowest ${(Math.max(...lints) / 1000).toFixed(1)}s)`,
    );
  });

  it("--option: custom fields of every type pass on the default matrix", async (t) => {
    const options = ["level:info|debug=info", "maxItems:number=10", "tags:string[]", "verbose:boolean", "label:string"];
    const result = await check([...options.flatMap((spec) => ["-o", spec]), "--json"]);
    const report = parseReport(result.stdout);
    assert.equal(result.code, 0, `${result.stderr}\n${JSON.stringify(report.failures, null, 2)}`);
    assert.deepEqual(report.options, options);
    assert.deepEqual(
      report.combinations.map((entry) => entry.id),
      ALL_COMBINATIONS,
    );
    // Option fields do not change what is installed: the node_modules of the run above are reused.
    assert.equal(report.install.cached, true, report.install.message);
    t.diagnostic(
      `custom-fields matrix: ${(report.durationMs / 1000).toFixed(1)}s, of which install ${(report.install.durationMs / 1000).toFixed(1)}s`,
    );
  });
});

describe("check: a type error in one schema file", () => {
  it("fails exactly that combination, at typecheck, naming the file; exit 1", async () => {
    // A team pack that overrides one file: the current built-in zod options, plus one ill-typed line.
    const pack = path.join(work.path, "type-error-pack");
    const file = path.join("schemas", "zod", "src", "options.ts.hbs");
    await mkdir(path.dirname(path.join(pack, file)), { recursive: true });
    await cp(path.join(REPO, "templates", file), path.join(pack, file));
    const original = await readFile(path.join(pack, file), "utf8");
    await writeFile(path.join(pack, file), `${original}\nexport const checkFixtureTypeError: number = "not a number";\n`);

    const result = await check(["-t", "express", "-s", "none,zod", "--starter", "request-id", "--template", pack, "--json", "--reporter", "github"]);
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    const byId = new Map(report.combinations.map((entry) => [entry.id, entry]));
    assert.equal(byId.get("express+none+request-id")?.status, "pass", JSON.stringify(byId.get("express+none+request-id")?.steps, null, 2));
    const broken = byId.get("express+zod+request-id");
    assert.equal(broken?.status, "fail");
    const typecheck = broken?.steps.find((step) => step.name === "typecheck");
    assert.equal(typecheck?.status, "fail");
    assert.match(typecheck?.message ?? "", /src\/options\.ts\(\d+,\d+\): error TS2322/);
    assert.match(typecheck?.log ?? "", /not a number|TS2322/);
    assert.ok(report.failures.some((failure) => failure.combination === "express+zod+request-id" && failure.step === "typecheck"));
    assert.ok(report.failures.every((failure) => failure.combination === "express+zod+request-id"));
    assert.match(result.stderr, /check failed \(1 of 2 combinations\): express\+zod\+request-id typecheck/);
    assert.deepEqual(await leftovers(), []);

    // The GitHub reporter (on stderr, since stdout holds the JSON) points at the pack's template and the
    // line where the ill-typed code is, not at the generated file.
    const templateLine =
      (await readFile(path.join(pack, file), "utf8")).split("\n").indexOf('export const checkFixtureTypeError: number = "not a number";') + 1;
    const annotations = result.stderr.split("\n").filter((line) => line.startsWith("::error "));
    const expected = `::error file=type-error-pack/schemas/zod/src/options.ts.hbs,line=${templateLine},title=check express+zod+request-id typecheck::src/options.ts(`;
    assert.ok(
      annotations.some((line) => line.startsWith(expected)),
      `${expected}\n${annotations.join("\n")}`,
    );
  });
});

describe("check: a file Biome would reformat", () => {
  it("fails at lint, naming the package and the file; the other steps still run and pass; exit 1", async () => {
    // A team pack that adds one file every package renders, valid TypeScript but not as Biome formats it.
    const pack = path.join(work.path, "unformatted-pack");
    await mkdir(path.join(pack, "base", "src"), { recursive: true });
    await writeFile(path.join(pack, "base", "src", "unformatted.ts"), "export const checkLintFixture = {answer:42}\n");

    const result = await check(["-t", "express", "-s", "none", "--starter", "request-id", "--template", pack, "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    const [combination] = report.combinations;
    assert.equal(combination?.status, "fail");
    assert.deepEqual(
      combination?.steps.map((step) => `${step.name} ${step.status}`),
      ["render pass", "typecheck pass", "lint fail", "build pass", "test pass", "pack pass", "publint pass"],
    );
    const lint = combination?.steps.find((step) => step.name === "lint");
    assert.match(lint?.message ?? "", /exited with 1: src\/unformatted\.ts \(format\)$/);
    assert.deepEqual(
      report.failures.map((failure) => `${failure.combination} ${failure.step}`),
      ["express+none+request-id lint"],
    );
    assert.match(result.stderr, /check failed \(1 of 1 combination\): express\+none\+request-id lint/);
    assert.match(result.stderr, /── express\+none\+request-id · lint \(npx --yes @biomejs\/biome@[\d.]+ check\)\n.*src\/unformatted\.ts \(format\)/);
    assert.deepEqual(await leftovers(), []);
  });
});

describe("check: Ctrl-C", () => {
  it("removes the workspace and exits 130", async () => {
    // --no-cache: the install is what gets interrupted (a cached one would be over at once).
    const child = spawn(process.execPath, [BIN, "check", "-t", "express", "-s", "none", "--starter", "request-id", "--no-cache"], {
      cwd: work.path,
      env: { ...process.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp, CREATE_MIDDLEWARE_CACHE: cache },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (stderr.includes("installing")) child.kill("SIGINT");
      });
      child.on("error", reject);
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 130, stderr);
    assert.match(stderr, /Interrupted/);
    assert.deepEqual(await leftovers(), []);
  });
});
