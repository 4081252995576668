/**
 * The CI reporters: GitHub annotations (a problem traced back to its template file and line), the step
 * summary, and JUnit XML with the elements and attributes the Ant/Jenkins JUnit schema requires.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { checkAnnotations, checkSummary, firstChangedLine, formatAnnotation } from "../../src/check/github.js";
import { checkJunit, junitTimestamp, snapshotJunit, xmlText } from "../../src/check/junit.js";
import { locate, templateLine, tscDiagnostics } from "../../src/check/locate.js";
import { selectCombinations } from "../../src/check/matrix.js";
import { STEP_NAMES, type CheckReport, type CombinationResult, type StepResult } from "../../src/check/report.js";
import { planCombination, type RenderedCombination } from "../../src/check/workspace.js";
import { loadTemplatePack } from "../../src/answers/resolver.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const BAD_LINE = 'export const checkFixtureTypeError: number = "not a number";';

function combinationResult(id: string, steps: Partial<Record<(typeof STEP_NAMES)[number], Partial<StepResult>>>): CombinationResult {
  const [target, schema] = id.split("+") as [CombinationResult["target"], CombinationResult["schema"]];
  const all = STEP_NAMES.map((name): StepResult => ({ name, status: "pass", durationMs: 100, ...steps[name] }));
  return {
    id,
    target,
    schema,
    starter: "request-id",
    packageName: `check-${id}`,
    directory: `packages/${id}`,
    status: all.every((step) => step.status === "pass") ? "pass" : "fail",
    durationMs: 600,
    steps: all,
  };
}

function report(combinations: CombinationResult[]): CheckReport {
  const failures = combinations.flatMap((result) =>
    result.steps.filter((step) => step.status === "fail").map((step) => ({ combination: result.id, step: step.name, message: step.message ?? "" })),
  );
  return {
    version: 1,
    ok: failures.length === 0,
    durationMs: 20_000,
    parallelism: 2,
    workspace: null,
    template: null,
    options: [],
    shard: { index: 2, count: 3 },
    install: { status: "pass", durationMs: 8000, command: "npm install --no-audit --no-fund --prefer-offline" },
    combinations,
    failures,
  };
}

describe("GitHub annotations", () => {
  let work: string;
  let pack: string;
  let rendered: RenderedCombination;
  let generatedLine: number;
  let templateLineNumber: number;
  const zod = selectCombinations(["express"], ["zod"])[0]!;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "cm-reporters-"));
    pack = path.join(work, "pack");
    const file = path.join(pack, "schemas", "zod", "src", "options.ts.hbs");
    await mkdir(path.dirname(file), { recursive: true });
    const original = await readFile(path.join(REPO, "templates", "schemas", "zod", "src", "options.ts.hbs"), "utf8");
    const withError = `${original}${original.endsWith("\n") ? "" : "\n"}${BAD_LINE}\n`;
    await writeFile(file, withError);
    templateLineNumber = withError.split("\n").indexOf(BAD_LINE) + 1;
    rendered = await planCombination(path.join(work, "out"), zod, {
      fields: undefined,
      template: await loadTemplatePack(pack, { base: work, offline: false }),
      cwd: work,
    });
    const options = rendered.files.find((entry) => entry.path === "src/options.ts")!;
    generatedLine = options.contents.toString("utf8").split("\n").indexOf(BAD_LINE) + 1;
  });
  after(() => rm(work, { recursive: true, force: true }));

  it("escapes properties and data as the runner expects", () => {
    assert.equal(
      formatAnnotation({ file: "a,b:c.hbs", line: 3, column: 7, title: "check x+y, typecheck", message: "100% wrong\nsecond line" }),
      "::error file=a%2Cb%3Ac.hbs,line=3,col=7,title=check x+y%2C typecheck::100%25 wrong%0Asecond line",
    );
    assert.equal(formatAnnotation({ title: "t", message: "m" }), "::error title=t::m");
  });

  it("reads tsc's diagnostics, plain and pretty", () => {
    const log =
      "src/a.ts(3,7): error TS2322: Bad.\n\u001b[96msrc/b.ts\u001b[0m:10:2 - \u001b[91merror\u001b[0m TS1005: ';' expected.\nFound 2 errors.";
    assert.deepEqual(tscDiagnostics(log), [
      { file: "src/a.ts", line: 3, column: 7, code: "TS2322", message: "Bad." },
      { file: "src/b.ts", line: 10, column: 2, code: "TS1005", message: "';' expected." },
    ]);
  });

  it("maps a generated line to its template line only when one template line has that text", () => {
    assert.equal(templateLine({ path: "tsconfig.json", text: "" }, "a\nb\n", 2), 2, "a verbatim copy keeps its lines");
    assert.equal(templateLine({ path: "x.ts.hbs", text: "{{#if a}}\nconst a = 1;\n{{/if}}\n" }, "const a = 1;\n", 1), 2);
    assert.equal(templateLine({ path: "x.ts.hbs", text: "}\n}\n" }, "}\n", 1), undefined, "ambiguous");
    assert.equal(templateLine({ path: "x.ts.hbs", text: "const {{name}} = 1;\n" }, "const a = 1;\n", 1), undefined, "rendered text");
  });

  it("points a typecheck error in a generated file at the pack template's own line", () => {
    assert.ok(generatedLine > 0 && templateLineNumber > 0);
    const where = locate(rendered, "src/options.ts", generatedLine, 14);
    assert.equal(where.template, path.join(pack, "schemas", "zod", "src", "options.ts.hbs"));
    assert.equal(where.line, templateLineNumber);

    const log = `src/options.ts(${generatedLine},14): error TS2322: Type 'string' is not assignable to type 'number'.`;
    const failed = combinationResult("express+zod", {
      typecheck: { status: "fail", message: `npm run typecheck exited with 2: ${log}`, log },
      build: { status: "fail", message: "npm run build exited with 2", log },
    });
    const annotations = checkAnnotations(report([failed]), new Map([["express+zod", rendered]]), work);
    assert.deepEqual(
      annotations.map(({ file, line, title }) => ({ file, line, title })),
      [
        { file: "pack/schemas/zod/src/options.ts.hbs", line: templateLineNumber, title: "check express+zod typecheck" },
        { file: "pack/schemas/zod/src/options.ts.hbs", line: templateLineNumber, title: "check express+zod build" },
      ],
    );
    assert.match(
      annotations[0]?.message ?? "",
      /^src\/options\.ts\(\d+,14\): error TS2322: .* \(generated from pack\/schemas\/zod\/src\/options\.ts\.hbs\)$/,
    );
  });

  it("names the generated path when no template is known, and merges one problem across combinations", () => {
    const log = "src/nowhere.ts(1,1): error TS2304: Cannot find name 'x'.";
    const none = combinationResult("express+none", { typecheck: { status: "fail", message: "failed", log } });
    const zodResult = combinationResult("express+zod", {
      typecheck: { status: "fail", message: "failed", log },
      test: { status: "fail", message: "npm test exited with 1: not ok 1 - answers" },
    });
    const annotations = checkAnnotations(
      report([none, zodResult]),
      new Map([
        ["express+none", rendered],
        ["express+zod", rendered],
      ]),
      work,
    );
    assert.deepEqual(
      annotations.map(({ file, line, title, message }) => ({ file, line, title, message })),
      [
        { file: "src/nowhere.ts", line: 1, title: "check express+none, express+zod typecheck", message: log },
        { file: undefined, line: undefined, title: "check express+zod test", message: "npm test exited with 1: not ok 1 - answers" },
      ],
    );
  });

  it("puts each file a failed Biome lint names on its template; another linter's failure has no file", () => {
    const message = "npx --yes @biomejs/biome@2.6.9 check exited with 1: src/options.ts (format), src/nowhere.ts:3:5 (lint/suspicious/noVar)";
    const biome = combinationResult("express+zod", { lint: { status: "fail", message, log: "…" } });
    const eslint = combinationResult("express+none", {
      lint: { status: "fail", message: "eslint . exited with 1: ✖ 1 problem (1 error, 0 warnings)" },
    });
    const annotations = checkAnnotations(
      report([biome, eslint]),
      new Map([
        ["express+zod", rendered],
        ["express+none", rendered],
      ]),
      work,
    );
    assert.deepEqual(
      annotations.map(({ file, line, column, title }) => ({ file, line, column, title })),
      [
        { file: "pack/schemas/zod/src/options.ts.hbs", line: undefined, column: undefined, title: "check express+zod lint" },
        { file: "src/nowhere.ts", line: 3, column: 5, title: "check express+zod lint" },
        { file: undefined, line: undefined, column: undefined, title: "check express+none lint" },
      ],
    );
    assert.match(annotations[0]?.message ?? "", /^src\/options\.ts: Biome format .*\(generated from pack\/schemas\/zod\/src\/options\.ts\.hbs\)$/);
  });

  it("puts a render failure on the template file and line", () => {
    const failed = combinationResult("express+zod", {
      render: {
        status: "fail",
        message: "Template team pack/schemas/zod/src/options.ts.hbs:4 failed to render",
        file: "team pack/schemas/zod/src/options.ts.hbs",
        line: 4,
      },
    });
    const [annotation] = checkAnnotations(report([failed]), new Map([["express+zod", rendered]]), work);
    assert.equal(annotation?.file, "pack/schemas/zod/src/options.ts.hbs");
    assert.equal(annotation?.line, 4);
  });

  it("finds the first added line of a diff in the new text", () => {
    assert.equal(firstChangedLine("--- a/f\n+++ b/f\n@@ -5,4 +5,5 @@\n a\n b\n-c\n+C\n d\n"), 7);
    assert.equal(firstChangedLine("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n a\n-b\n"), undefined);
    assert.equal(firstChangedLine("--- a/f\n+++ b/f\n@@ -1 +1,3 @@\n a\n+\n+b\n"), 3, "a blank added line is skipped");
    assert.equal(firstChangedLine("--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+\n"), 2);
  });
});

describe("step summary", () => {
  it("is a Markdown table of every combination and step, with the shard and the failures", () => {
    const summary = checkSummary(
      report([
        combinationResult("express+none", {}),
        combinationResult("express+zod", { test: { status: "fail", message: "a | b" }, pack: { status: "skipped" } }),
      ]),
    );
    const lines = summary.split("\n");
    assert.equal(lines[0], "### create-middleware check (shard 2/3): ❌ failed");
    assert.equal(lines[2], `| combination | ${STEP_NAMES.join(" | ")} | total |`);
    assert.match(lines[4] ?? "", /^\| express\+none \| ✅ 0\.1s \|/);
    assert.match(lines[5] ?? "", /^\| ❌ express\+zod \| .*❌ 0\.1s \| ⏭️ skipped \|/);
    assert.ok(summary.includes("- `express+zod` test: a \\| b"));
  });
});

describe("JUnit XML", () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
  });
  const failing = combinationResult("express+zod", {
    typecheck: { status: "fail", message: 'exited with 2: "quotes" & <tags>', log: "src/options.ts(3,1): error TS2322: x\u0007" },
    pack: { status: "skipped", message: "the build failed" },
  });
  const xml = checkJunit(report([combinationResult("express+none", {}), failing]), { timestamp: "2026-11-22T02:40:00", hostname: "ci-host" });
  type Attributes = Record<string, string>;
  type Testcase = Attributes & { failure?: Attributes & { "#text"?: string }; skipped?: Attributes };
  type Testsuite = Attributes & { properties: { property?: Attributes[] } | ""; testcase: Testcase[]; "system-out": string; "system-err": string };
  const parsed = parser.parse(xml) as { testsuites: Attributes & { testsuite: Testsuite[] } };

  it("is well-formed XML", () => {
    assert.equal(XMLValidator.validate(xml), true);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
  });

  it("has the schema's required elements and attributes on every suite and case", () => {
    const suites = parsed.testsuites.testsuite;
    assert.deepEqual(
      suites.map((suite) => suite.name),
      ["workspace", "express+none", "express+zod"],
    );
    suites.forEach((suite, index) => {
      for (const attribute of ["name", "tests", "failures", "errors", "time", "timestamp", "hostname", "id", "package"]) {
        assert.notEqual(suite[attribute], undefined, `testsuite ${suite.name} needs ${attribute}`);
      }
      assert.equal(suite.id, String(index));
      assert.match(suite.timestamp ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      assert.ok("properties" in suite && "system-out" in suite && "system-err" in suite);
      assert.equal(Number(suite.tests), suite.testcase.length);
      assert.equal(Number(suite.failures), suite.testcase.filter((entry) => entry.failure).length);
      for (const testcase of suite.testcase) {
        for (const attribute of ["name", "classname", "time"]) assert.notEqual(testcase[attribute], undefined);
        assert.match(testcase.time ?? "", /^\d+\.\d{3}$/);
      }
    });
    assert.equal(parsed.testsuites.tests, String(1 + 2 * STEP_NAMES.length), "the install, then every step of two combinations");
    assert.equal(parsed.testsuites.failures, "1");
    assert.equal(parsed.testsuites.skipped, "1");
  });

  it("carries the failure's message, type and log, the skip, and the shard", () => {
    const zodSuite = parsed.testsuites.testsuite[2]!;
    const typecheck = zodSuite.testcase.find((entry) => entry.name === "typecheck");
    assert.equal(typecheck?.classname, "express+zod");
    assert.equal(typecheck?.failure?.message, 'exited with 2: "quotes" & <tags>');
    assert.equal(typecheck?.failure?.type, "typecheck");
    assert.match(typecheck?.failure?.["#text"] ?? "", /src\/options\.ts\(3,1\): error TS2322: x$/);
    assert.equal(zodSuite.testcase.find((entry) => entry.name === "pack")?.skipped?.message, "the build failed");
    const properties = zodSuite.properties === "" ? [] : (zodSuite.properties.property ?? []);
    assert.deepEqual(properties, [{ name: "shard", value: "2/3" }]);
  });

  it("in snapshot mode: one case per combination, the diffs in the failure, a stale folder as a failed case", () => {
    const snapshotXml = snapshotJunit(
      {
        version: 1,
        mode: "snapshot",
        ok: false,
        durationMs: 120,
        directory: "/repo/snapshots",
        updated: false,
        shard: null,
        template: null,
        options: [],
        combinations: [
          { id: "express+none+blank", directory: "express-none-blank", status: "pass", files: 14, differences: [] },
          {
            id: "express+zod+auth",
            directory: "express-zod-auth",
            status: "fail",
            files: 14,
            differences: [{ file: "README.md", change: "changed", diff: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" }],
          },
        ],
        stale: ["express-oldschema"],
        deleted: [],
        adopted: [],
        failures: [],
      },
      { timestamp: "2026-11-22T02:40:00", hostname: "ci-host" },
    );
    assert.equal(XMLValidator.validate(snapshotXml), true);
    const suites = (parser.parse(snapshotXml) as { testsuites: { testsuite: Testsuite[] } }).testsuites.testsuite;
    assert.deepEqual(
      suites.map((suite) => [suite.name, suite.failures]),
      [
        ["express+none+blank", "0"],
        ["express+zod+auth", "1"],
        ["snapshot folder", "1"],
      ],
    );
    assert.match(suites[1]?.testcase[0]?.failure?.["#text"] ?? "", /^--- a\/x\n\+\+\+ b\/x/);
    assert.equal(suites[2]?.testcase[0]?.failure?.message, "express-oldschema/ belongs to no combination of the matrix");
  });

  it("escapes text and drops characters XML cannot hold", () => {
    assert.equal(xmlText(`<a b="c">&'\u0000\u0007ok`), "&lt;a b=&quot;c&quot;&gt;&amp;&apos;ok");
    assert.match(junitTimestamp(new Date("2026-11-22T02:40:00.123Z")), /^2026-11-22T02:40:00$/);
  });
});
