/**
 * `check --snapshot` and the reporters through the CLI, as CI runs them (no TTY). Snapshot mode installs
 * nothing, so these runs take a fraction of a second each; the full check's reporters are covered in
 * check.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { SnapshotReport } from "../../src/check/snapshot.js";
import { SNAPSHOT_MARKER, SNAPSHOT_MARKER_TEXT } from "../../src/check/snapshot-folder.js";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

const MATRIX = path.join(REPO, "test", "snapshots", "matrix");
const RENDER_ERROR_PACK = path.join(REPO, "test", "fixtures", "render-error-pack");

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-check-reporters-");
});
after(() => work.remove());

/** No GitHub environment leaks in from a CI that runs these tests, unless a test sets it. */
const clean = { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_WORKSPACE: undefined };
const check = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(["check", ...args], { cwd: work.path, env: { ...clean, ...env }, timeoutMs: 60_000 });

/** `::error file=…,line=…,title=…::message` lines, unescaped. */
function annotations(output: string) {
  const unescape = (text: string) => text.replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  return output
    .split("\n")
    .filter((line) => line.startsWith("::error "))
    .map((line) => {
      const match = /^::error ([^:]*)::(.*)$/.exec(line);
      assert.ok(match, line);
      const properties = Object.fromEntries((match[1] as string).split(",").map((pair) => pair.split("=", 2).map(unescape) as [string, string]));
      return { ...properties, message: unescape(match[2] as string) } as Record<string, string>;
    });
}

describe("check --snapshot (CLI)", () => {
  it("passes the built-in templates against test/snapshots/matrix; --json reports every combination", async () => {
    const result = await check(["--snapshot", MATRIX, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as SnapshotReport;
    assert.equal(report.mode, "snapshot");
    assert.equal(report.ok, true);
    assert.equal(report.shard, null);
    assert.equal(report.combinations.length, 12);
    assert.ok(report.combinations.every((entry) => entry.status === "pass" && entry.files > 0));
    assert.match(result.stderr, /snapshots match: 12 combinations in \d+\.\d+s/);
  });

  it('one combination is "1 combination", not "1 combinations"', async () => {
    const result = await check(["--snapshot", MATRIX, "--shard", "1/12"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout + result.stderr, /: 1 combination in \d+\.\d+s/);
  });

  it("--shard carries into the JSON report, and the shards add up to the matrix", async () => {
    const ids: string[] = [];
    for (let index = 1; index <= 3; index++) {
      const result = await check(["--snapshot", MATRIX, "--shard", `${index}/3`, "--json"]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as SnapshotReport;
      assert.deepEqual(report.shard, { index, count: 3 });
      ids.push(...report.combinations.map((entry) => entry.id));
    }
    assert.equal(ids.length, 12);
    assert.equal(new Set(ids).size, 12);
  });

  it("a changed template exits 1 with a unified diff on stdout; --update rewrites; then it passes", async () => {
    const pack = path.join(work.path, "readme-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    const readme = await readFile(path.join(REPO, "templates", "base", "README.md.hbs"), "utf8");
    await writeFile(path.join(pack, "base", "README.md.hbs"), readme.replace(/^## (.*)$/m, "## $1 (team edition)"));
    const heading = /^## (.*)$/m.exec(readme)?.[1] as string;
    const snapshots = path.join(work.path, "snapshots");
    await cp(path.join(MATRIX, "express-none-blank"), path.join(snapshots, "express-none-blank"), { recursive: true });
    const one = ["-t", "express", "-s", "none", "--starter", "blank"];

    const failed = await check(["--template", pack, "--snapshot", snapshots, ...one]);
    assert.equal(failed.code, 1, failed.stderr);
    // One diff per file: the answers file (it now records the pack) and the README.
    const diffs = failed.stdout.split(/^(?=--- )/m);
    assert.deepEqual(
      diffs.map((diff) => diff.split("\n")[0]),
      ["--- a/express-none-blank/.create-middleware.json", "--- a/express-none-blank/README.md"],
    );
    assert.ok(diffs[1]?.startsWith("--- a/express-none-blank/README.md\n+++ b/express-none-blank/README.md\n@@ "), failed.stdout);
    assert.deepEqual(
      diffs[1]?.split("\n").filter((line) => /^[-+](?![-+]{2} )/.test(line)),
      [`-## ${heading}`, `+## ${heading} (team edition)`],
    );
    assert.match(failed.stderr, /snapshot check failed: express\+none\+blank/);

    const updated = await check(["--template", pack, "--snapshot", snapshots, ...one, "--update"]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /express\+none\+blank updated: \.create-middleware\.json \(changed\), README\.md \(changed\)/);
    assert.match(await readFile(path.join(snapshots, "express-none-blank", "README.md"), "utf8"), /\(team edition\)/);
    const again = await check(["--template", pack, "--snapshot", snapshots, ...one]);
    assert.equal(again.code, 0, again.stderr);
  });

  it("--update deletes a stale folder it wrote (marker, no package.json), prints each deletion and adoption, and never advises the command just run", async () => {
    const snapshots = path.join(work.path, "stale-snapshots");
    await cp(MATRIX, snapshots, { recursive: true });
    await rm(path.join(snapshots, "express-none-blank", SNAPSHOT_MARKER), { force: true });
    await mkdir(path.join(snapshots, "express-gone-starter", "src"), { recursive: true });
    await writeFile(path.join(snapshots, "express-gone-starter", SNAPSHOT_MARKER), SNAPSHOT_MARKER_TEXT);
    await writeFile(path.join(snapshots, "express-gone-starter", "src", "index.ts"), "old\n");
    const before = await check(["--snapshot", snapshots]);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /express-gone-starter\/ belongs to no combination/);
    const updated = await check(["--snapshot", snapshots, "--update"]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /express-gone-starter\/ deleted: it belongs to no combination of the matrix/);
    assert.match(updated.stderr, /express-none-blank\/ adopted/);
    assert.doesNotMatch(updated.stderr, /run (again )?with --update/);
    assert.equal(existsSync(path.join(snapshots, "express-gone-starter")), false);
    assert.equal(existsSync(path.join(snapshots, "express-none-blank", SNAPSHOT_MARKER)), true);
  });

  it("--update with a template that does not render does not advise running --update again", async () => {
    const snapshots = path.join(work.path, "broken-update");
    const result = await check([
      "--template",
      RENDER_ERROR_PACK,
      "--snapshot",
      snapshots,
      "-t",
      "express",
      "-s",
      "none",
      "--starter",
      "blank",
      "--update",
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /snapshot update incomplete: express\+none\+blank render \(fix the templates/);
    assert.doesNotMatch(result.stderr, /run again with --update/);
  });

  it("a missing snapshot folder exits 1 and says how to create it", async () => {
    const result = await check(["--snapshot", "no-such-folder"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No snapshots at .*no-such-folder.*--snapshot no-such-folder --update/);
  });
});

describe("GitHub reporter (CLI)", () => {
  it("under GITHUB_ACTIONS, a broken template is an annotation on the template file and line, and a step summary", async () => {
    const summary = path.join(work.path, "summary.md");
    await writeFile(summary, "earlier step\n");
    const result = await check(
      ["--template", RENDER_ERROR_PACK, "--snapshot", MATRIX, "-t", "express", "-s", "none,zod", "--starter", "blank,request-id"],
      {
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: REPO,
        GITHUB_STEP_SUMMARY: summary,
      },
    );
    assert.equal(result.code, 1, result.stderr);
    const found = annotations(result.stdout);
    assert.equal(found.length, 1, "one broken template, one annotation for both combinations");
    const [annotation] = found;
    assert.equal(annotation?.file, "test/fixtures/render-error-pack/base/README.md.hbs");
    const line = Number(annotation?.line);
    assert.ok(Number.isInteger(line) && line >= 1, `line ${annotation?.line}`);
    // The line named is the template's own: the unclosed block opens there or the parser stopped there.
    const templateLines = (await readFile(path.join(RENDER_ERROR_PACK, "base", "README.md.hbs"), "utf8")).split("\n");
    assert.ok(line <= templateLines.length + 1);
    assert.equal(annotation?.title, "check express+none+blank, express+zod+request-id render");
    assert.match(annotation?.message ?? "", /README\.md\.hbs/);
    const written = await readFile(summary, "utf8");
    assert.ok(written.startsWith("earlier step\n### create-middleware check --snapshot: ❌ failed\n"), written);
    assert.match(written, /\| express\+none\+blank \| ❌ did not render \| 0 \| – \|/);
  });

  it("--reporter github with --json keeps stdout pure JSON: annotations go to stderr", async () => {
    const result = await check([
      "--template",
      RENDER_ERROR_PACK,
      "--snapshot",
      MATRIX,
      "-t",
      "express",
      "-s",
      "none",
      "--reporter",
      "github",
      "--json",
    ]);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as SnapshotReport;
    assert.equal(report.combinations[0]?.render?.file, "team pack/base/README.md.hbs");
    assert.equal(annotations(result.stderr)[0]?.file, path.relative(work.path, path.join(RENDER_ERROR_PACK, "base", "README.md.hbs")));
  });
});

describe("JUnit reporter (CLI)", () => {
  it("--reporter junit --output writes a valid file with a case per combination", async () => {
    const output = path.join(work.path, "junit.xml");
    const result = await check(["--template", RENDER_ERROR_PACK, "--snapshot", MATRIX, "-t", "express", "--reporter", "junit", "--output", output]);
    assert.equal(result.code, 1);
    const xml = await readFile(output, "utf8");
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name) => ["testsuite", "testcase"].includes(name),
    }).parse(xml);
    const suites = parsed.testsuites.testsuite as Array<Record<string, string> & { testcase: Array<Record<string, unknown>> }>;
    assert.equal(suites.length, 7, "the Express part of the default matrix");
    assert.ok(suites.every((suite) => suite.testcase.length === 1 && suite.testcase[0]?.failure !== undefined));
  });
});

describe("check flags: usage errors exit 2 before any work", () => {
  for (const args of [
    ["--reporter", "tap"],
    ["--reporter", "junit"],
    ["--reporter", "junit", "--json", "--output", "x.xml"],
    ["--output", "x.json"],
    ["--update"],
    ["--shard", "0/2"],
    ["--shard", "3/2", "--snapshot", MATRIX],
    ["--snapshot", MATRIX, "--keep"],
  ]) {
    it(`check ${args.join(" ")}`, async () => {
      const result = await check(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /error: /);
      // With --json, stdout holds the failure as JSON (README, Exit codes); otherwise nothing.
      if (args.includes("--json")) assert.deepEqual((JSON.parse(result.stdout) as { error: { exitCode: number } }).error.exitCode, 2);
      else assert.equal(result.stdout, "");
    });
  }
});
