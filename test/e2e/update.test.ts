/**
 * `create-middleware update` and `outdated` against the built CLI, on packages with their own git history:
 * a team pack folder edited in place (v1 -> v2 -> v3: a README section and the CI matrix), the user's edits
 * kept, a conflict, a deleted file, --dry-run, a dirty work tree, Ctrl-C during the write, a package without
 * a repository. A schema migration whose package still passes its own tests installs from the registry:
 * test/integration/update-migration.test.ts.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { BIN, runCli } from "../helpers/cli.js";
import { gitSandbox, packageFiles } from "../helpers/git-sandbox.js";
import { driveInTmux, hasTmux, keys, screen, text, waitFor } from "../helpers/tmux.js";

const work = gitSandbox("cm-update-");
const { cm, git } = work;

/** A team pack folder overriding two partials: the CI matrix and a README section. */
async function writePack(pack: string, matrix: string, support: string): Promise<void> {
  await mkdir(path.join(pack, "express", "_partials"), { recursive: true });
  await writeFile(path.join(pack, "express", "_partials", "ci-matrix.hbs"), `express: [${matrix}]\n`);
  await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), `\n## Support\n\n${support}\n`);
}

const USER_LINE = "// Team note: request ids are logged by the gateway too.";

describe("update from a team pack folder edited in place", () => {
  let pack: string;
  let pkg: string;

  before(async () => {
    pack = path.join(work.path, "team-pack");
    await writePack(pack, "4, 5", "Ask in #team-platform.");
    const made = await cm(work.path, "my-logger", "--yes", "--no-install", "--template", "./team-pack");
    assert.equal(made.code, 0, made.stderr);
    pkg = path.join(work.path, "my-logger");
    assert.equal(git(pkg, "status", "--porcelain"), "", "create committed everything");
    // The user's change, committed.
    const index = path.join(pkg, "src", "index.ts");
    const source = await readFile(index, "utf8");
    await writeFile(index, source.replace(/^(export function )/m, `${USER_LINE}\n$1`));
    git(pkg, "commit", "-qam", "Note about ids");
  });

  it("outdated: exit 0 while the pack has not changed, from any folder of the package (cruft tests/test_cli.py::test_check; copier tests/test_check_update.py::test_without_updated_template_no_opts)", async () => {
    const result = await cm(path.join(pkg, "src"), "outdated");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /up to date/);
  });

  it("after the pack changes: outdated exits 1 and lists the files; --dry-run shows the diff and writes nothing (cruft tests/test_cli.py::test_check_stale; copier tests/test_check_update.py::test_with_updated_template_no_opts, tests/test_copy.py::test_pretend_option)", async () => {
    await writePack(pack, "5", "Ask in #platform-help, or page the on-call engineer.");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1);
    assert.match(outdated.stdout, /behind its templates/);
    assert.match(outdated.stdout, /changed\s+README\.md/);
    assert.match(outdated.stdout, /changed\s+\.github\/workflows\/ci\.yml/);
    assert.doesNotMatch(outdated.stdout, /src\/index\.ts/);
    const json = await cm(pkg, "outdated", "--json");
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { outdated: boolean; changes: Array<{ path: string; change: string }> };
    assert.equal(report.outdated, true);
    assert.deepEqual(report.changes.map((change) => change.path).sort(), [".create-middleware.json", ".github/workflows/ci.yml", "README.md"]);

    const before = await packageFiles(pkg);
    const dry = await cm(pkg, "update", "--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /updated\s+README\.md/);
    assert.match(dry.stdout, /^-Ask in #team-platform\.$/m);
    assert.match(dry.stdout, /^\+Ask in #platform-help, or page the on-call engineer\.$/m);
    assert.match(dry.stdout, /^-\s+express: \[4, 5\]$/m);
    assert.match(dry.stdout, /^\+\s+express: \[5\]$/m);
    assert.match(dry.stdout, /Nothing was written/);
    assert.deepEqual(await packageFiles(pkg), before, "the dry run wrote nothing");
    assert.equal(git(pkg, "status", "--porcelain"), "");

    const dryJson = await cm(pkg, "update", "--dry-run", "--json");
    assert.equal(dryJson.code, 0, dryJson.stderr);
    const plan = JSON.parse(dryJson.stdout) as { files: Array<{ path: string; status: string; diff: string }> };
    const readme = plan.files.find((file) => file.path === "README.md");
    assert.equal(readme?.status, "updated");
    assert.match(readme?.diff ?? "", /^\+Ask in #platform-help/m);
  });

  it("update keeps the user's edit, applies the template's changes and bumps the answers file; outdated is 0 after (copier tests/test_updatediff.py::test_updatediff; cruft tests/test_cli.py::test_update)", async () => {
    const answersBefore = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { template: { resolved: string } };
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.ok((await readFile(path.join(pkg, "src", "index.ts"), "utf8")).includes(USER_LINE), "the user's line is kept");
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /Ask in #platform-help, or page the on-call engineer\./);
    assert.match(await readFile(path.join(pkg, ".github", "workflows", "ci.yml"), "utf8"), /express: \[5\]/);
    const answersAfter = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { template: { resolved: string } };
    assert.notEqual(answersAfter.template.resolved, answersBefore.template.resolved, "the answers file records the new pack version");
    assert.deepEqual(git(pkg, "status", "--porcelain").split("\n").filter(Boolean).sort(), [
      " M .create-middleware.json",
      " M .github/workflows/ci.yml",
      " M README.md",
    ]);
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 0, outdated.stdout);
    git(pkg, "commit", "-qam", "Update from the team pack");
  });

  it("refuses a work tree with uncommitted changes, an untracked file too (exit 1, nothing written), unless --force (cruft tests/test_cli.py::test_update_unclean, ::test_update_allow_untracked_files)", async () => {
    await writePack(pack, "5", "Ask in #platform-help.");
    await writeFile(path.join(pkg, "notes.txt"), "draft\n");
    const before = await packageFiles(pkg);
    const refused = await cm(pkg, "update");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /uncommitted changes \(notes\.txt\)/);
    assert.match(refused.stderr, /--force/);
    assert.deepEqual(await packageFiles(pkg), before);

    const forced = await cm(pkg, "update", "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /^Ask in #platform-help\.$/m);
    assert.equal(await readFile(path.join(pkg, "notes.txt"), "utf8"), "draft\n", "the user's other files are left alone");
    // Undone with git: the answers file goes back too, and so does the base the next update uses.
    git(pkg, "checkout", "--", ".");
    await rm(path.join(pkg, "notes.txt"));
    assert.deepEqual(await packageFiles(pkg), Object.fromEntries(Object.entries(before).filter(([file]) => file !== "notes.txt")));
    const again = await cm(pkg, "update", "--dry-run");
    assert.match(again.stdout, /updated\s+README\.md/);
  });

  it("a conflicting edit gets markers, the file list and exit 1; a file the user deleted stays deleted (copier tests/test_updatediff.py::test_conflicted_files_are_marked_unmerged, ::test_update_deleted_path; cruft tests/test_cli.py::test_update_with_conflicts)", async () => {
    const readmePath = path.join(pkg, "README.md");
    await writeFile(
      readmePath,
      (await readFile(readmePath, "utf8")).replace("Ask in #platform-help, or page the on-call engineer.", "Ask Ann directly."),
    );
    git(pkg, "rm", "-q", ".github/workflows/ci.yml");
    git(pkg, "commit", "-qam", "Our own support line; CI elsewhere");
    await writePack(pack, "4, 5", "Ask in #platform-help (weekdays).");

    const result = await cm(pkg, "update");
    assert.equal(result.code, 1);
    assert.match(result.stdout, /CONFLICT\s+README\.md/);
    assert.match(result.stderr, /Conflicts in 1 file: README\.md\./);
    const readme = await readFile(readmePath, "utf8");
    assert.match(readme, /<<<<<<< yours\nAsk Ann directly\.\n=======\nAsk in #platform-help \(weekdays\)\.\n>>>>>>> template\n/);
    assert.ok(!existsSync(path.join(pkg, ".github", "workflows", "ci.yml")), "the deleted file was not brought back");
    assert.match(result.stdout, /\.github\/workflows\/ci\.yml\s+\(you deleted it, so it stays deleted/);
    assert.ok((await readFile(path.join(pkg, "src", "index.ts"), "utf8")).includes(USER_LINE));
    // As copier leaves a conflict (tests/test_updatediff.py::test_conflicted_files_are_marked_unmerged): unmerged in git's index, so git status shows UU
    // and git mergetool finds it; stage 1 the base, 2 yours, 3 the template.
    assert.match(git(pkg, "status", "--porcelain"), /^UU README\.md$/m);
    assert.match(git(pkg, "show", ":1:README.md"), /Ask in #platform-help, or page the on-call engineer\./);
    assert.match(git(pkg, "show", ":2:README.md"), /Ask Ann directly\./);
    assert.match(git(pkg, "show", ":3:README.md"), /Ask in #platform-help \(weekdays\)\./);
    assert.match(result.stderr, /git add the file/);
    // Resolve, git add, commit.
    await writeFile(readmePath, readme.replace(/<<<<<<< yours\n(.*\n)=======\n.*\n>>>>>>> template\n/, "$1"));
    git(pkg, "add", "README.md");
    assert.doesNotMatch(git(pkg, "status", "--porcelain"), /^UU/m);
    git(pkg, "commit", "-qam", "Resolve the update");
  });

  it("Ctrl-C during the write leaves the package exactly as it was (as copier tests/test_cleanup.py::test_cleanup_on_interrupt_during_update_task, whose interrupt lands in a task)", async () => {
    await writePack(pack, "5", "Ask in #platform-help (24/7).");
    const before = await packageFiles(pkg);
    const answers = await readFile(path.join(pkg, ".create-middleware.json"), "utf8");
    const child = spawn(process.execPath, [BIN, "update"], {
      cwd: pkg,
      env: { ...process.env, ...work.env, CREATE_MIDDLEWARE_TEST_PAUSE: "update" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const paused = new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (stderr.includes("[test pause] update")) resolve();
      });
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await paused;
    // Part-way: some files are already replaced.
    assert.notDeepEqual(await packageFiles(pkg), before, "the write was under way when the signal came");
    child.kill("SIGINT");
    assert.equal(await closed, 130, stderr);
    assert.match(stderr, /Interrupted\./);
    assert.deepEqual(await packageFiles(pkg), before, "every file is back as it was, no temporary file left");
    assert.equal(await readFile(path.join(pkg, ".create-middleware.json"), "utf8"), answers);
    assert.equal(git(pkg, "status", "--porcelain"), "");
  });

  it("markers committed unresolved, then a second update: exit 2 naming the file, nothing written; --force goes on (no copier or cruft test has this case)", async () => {
    const readmePath = path.join(pkg, "README.md");
    const readme = await readFile(readmePath, "utf8");
    await writeFile(readmePath, readme.replace("Ask Ann directly.", "<<<<<<< yours\nAsk Ann directly.\n=======\nAsk Bob.\n>>>>>>> template"));
    git(pkg, "commit", "-qam", "Committed with markers by mistake");
    const before = await packageFiles(pkg);
    for (const args of [["update"], ["update", "--dry-run"]]) {
      const refused = await cm(pkg, ...args);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /README\.md .*still holds conflict markers/);
      assert.match(refused.stderr, /--force/);
      assert.deepEqual(await packageFiles(pkg), before, "nothing written");
    }
    const forced = await cm(pkg, "update", "--force");
    assert.notEqual(forced.code, 2, forced.stderr);
    assert.notDeepEqual(await packageFiles(pkg), before, "--force updated");
    git(pkg, "checkout", "-q", "HEAD", "--", ".");
  });
});

describe("an npm:file: pack edited without a version bump", () => {
  it("outdated sees the change (content hash beside the version, as cruft tests/test_cli.py::test_check_stale sees a new template commit) and update brings it in", async () => {
    const pack = path.join(work.path, "npm-file-pack");
    await writePack(pack, "4, 5", "Ask in #npm-pack.");
    await writeFile(path.join(pack, "package.json"), JSON.stringify({ name: "npm-file-pack", version: "1.0.0" }));
    const made = await cm(work.path, "npm-file-pkg", "--yes", "--no-install", "--template", "npm:file:./npm-file-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "npm-file-pkg");
    assert.equal((await cm(pkg, "outdated")).code, 0);

    await writePack(pack, "4, 5", "Ask in #npm-pack (edited, same version).");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout + outdated.stderr);
    assert.match(outdated.stdout, /changed\s+README\.md/);
    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /Ask in #npm-pack \(edited, same version\)\./);
  });

  it("without the package's own repository (no pristine render): outdated exits 1 naming the changed pack, never 'up to date'; update refuses instead of skipping (no copier or cruft test: both re-render the base from a template commit)", async () => {
    const pack = path.join(work.path, "npm-file-pack-2");
    await writePack(pack, "4, 5", "Ask in #npm-pack.");
    await writeFile(path.join(pack, "package.json"), JSON.stringify({ name: "npm-file-pack", version: "1.0.0" }));
    const made = await cm(work.path, "npm-file-nogit", "--yes", "--no-install", "--no-git", "--template", "npm:file:./npm-file-pack-2");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "npm-file-nogit");
    assert.equal((await cm(pkg, "outdated")).code, 0);
    await writePack(pack, "4, 5", "Ask in #npm-pack (edited, same version).");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout + outdated.stderr);
    assert.match(outdated.stdout, /has changed since the package was made/);
    const before = await packageFiles(pkg);
    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 1, updated.stdout);
    assert.match(updated.stderr, /npm-file-pack-2 has changed since the package was made/);
    assert.deepEqual(await packageFiles(pkg), before);
  });
});

describe("an update that changes package.json's dependencies (no copier or cruft test: copier would run a task)", () => {
  /** A stand-in npm first on PATH that records each call (where, with what): no registry needed. */
  async function fakeManager(): Promise<{ env: NodeJS.ProcessEnv; calls: () => Promise<string[]> }> {
    const bin = path.join(work.path, "fake-bin");
    const log = path.join(work.path, "npm-calls.log");
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, "npm"), `#!/bin/sh\necho "$* in $(pwd)" >> '${log}'\n`, { mode: 0o755 });
    await writeFile(log, "");
    return {
      env: { ...work.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, npm_config_user_agent: undefined },
      calls: async () => (await readFile(log, "utf8")).split("\n").filter(Boolean),
    };
  }

  it("installs with the package's manager when the dependencies change, not otherwise; --no-install skips and says so", async () => {
    const npm = await fakeManager();
    const run = (cwd: string, ...args: string[]) => runCli(args, { cwd, env: npm.env, timeoutMs: 60_000 });
    for (const name of ["deps-a", "deps-b"]) assert.equal((await run(work.path, name, "--yes", "--no-install", "--no-git")).code, 0);
    const a = path.join(work.path, "deps-a");

    const dry = await run(a, "update", "--schema", "zod", "--dry-run");
    assert.match(dry.stdout, /Then it would run npm install: package\.json's dependencies change\./);
    const updated = await run(a, "update", "--schema", "zod", "--json");
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(await npm.calls(), [`install in ${a}`]);
    const report = JSON.parse(updated.stdout) as { dependenciesChanged: boolean; install: { command: string; ok: boolean } | null };
    assert.equal(report.dependenciesChanged, true);
    assert.deepEqual({ command: report.install?.command, ok: report.install?.ok }, { command: "npm install", ok: true });

    // Options that change no dependency: no install.
    const fields = await run(a, "update", "-o", "level:info|debug=info");
    assert.equal(fields.code, 0, fields.stderr);
    assert.match(fields.stdout, /Updated \d+ files?;/);
    assert.doesNotMatch(fields.stdout, /install/i);
    assert.equal((await npm.calls()).length, 1);

    const skipped = await run(path.join(work.path, "deps-b"), "update", "--schema", "valibot", "--no-install");
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /package\.json's dependencies changed; install them with: npm install/);
    assert.equal((await npm.calls()).length, 1, "nothing installed with --no-install");
  });
});

describe("a pack version that asks a new question (copier tests/test_updatediff.py::test_update_with_skip_answered_and_new_answer; cruft tests/test_cli.py::test_update_new_inputs_added_to_template)", () => {
  it("is answered by --var (or its default); without either and without a terminal, a usage error that names --var, nothing written", async () => {
    const pack = path.join(work.path, "asking-pack");
    await writePack(pack, "4, 5", "Ask in #asking.");
    const made = await cm(work.path, "asked", "--yes", "--no-install", "--template", "./asking-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "asked");

    // v2: a question without a default, used in the README.
    await writeFile(
      path.join(pack, "pack.json"),
      JSON.stringify({ name: "asking-pack", version: "2.0.0", questions: [{ key: "team", type: "text", message: "Owning team?" }] }),
    );
    await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), "\n## Support\n\nAsk team {{vars.team}}.\n");
    const before = await packageFiles(pkg);
    const unanswered = await cm(pkg, "update");
    assert.equal(unanswered.code, 2, unanswered.stderr);
    assert.match(unanswered.stderr, /--var team=/);
    assert.deepEqual(await packageFiles(pkg), before);

    // A malformed --var is refused as create refuses it (the resolver parses --var once for both).
    const malformed = await cm(pkg, "update", "--var", "team");
    assert.equal(malformed.code, 2, malformed.stderr);
    assert.match(malformed.stderr, /Invalid --var "team": expected key=value/);
    assert.deepEqual(await packageFiles(pkg), before);

    const answered = await cm(pkg, "update", "--var", "team=platform");
    assert.equal(answered.code, 0, answered.stderr);
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /^Ask team platform\.$/m);
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { answers: { vars: Record<string, unknown> } };
    assert.deepEqual(record.answers.vars, { team: "platform" }, "the new answer is recorded, so the next update replays it");
    git(pkg, "commit", "-qam", "Update");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 0, outdated.stdout);
  });
});

describe("update -i: every question again, the recorded answers preselected (cruft tests/test_cli.py::test_update_with_input_changes, ::test_update_same_commit_but_ask_for_input)", () => {
  let pack: string;
  let pkg: string;
  before(async () => {
    pack = path.join(work.path, "reasking-pack");
    await writePack(pack, "4, 5", "Ask in #reasking.");
    await writeFile(
      path.join(pack, "pack.json"),
      JSON.stringify({
        name: "reasking-pack",
        version: "1.0.0",
        questions: [
          { key: "team", type: "text", message: "Owning team?", default: "core" },
          { key: "region", type: "select", message: "Region?", choices: ["eu", "us"], default: "eu" },
        ],
      }),
    );
    await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), "\n## Support\n\nAsk team {{vars.team}} ({{vars.region}}).\n");
    // Answers none of which is a question's default: pressing Enter keeps them only if they are preselected.
    const made = await cm(
      work.path,
      "reasked",
      "--yes",
      "--no-install",
      "--template",
      "./reasking-pack",
      "--schema",
      "zod",
      "--starter",
      "logger",
      "--var",
      "team=payments",
      "--var",
      "region=us",
    );
    assert.equal(made.code, 0, made.stderr);
    pkg = path.join(work.path, "reasked");
  });

  it("without a terminal, or with --yes or --json: a usage error (exit 2) saying why, nothing written", async () => {
    const before = await packageFiles(pkg);
    const bare = await cm(pkg, "update", "-i");
    assert.equal(bare.code, 2, bare.stderr);
    assert.match(bare.stderr, /update -i asks every question again, and there is no terminal to ask on/);
    assert.match(bare.stderr, /--var key=value/, "names what to do instead");
    const yes = await cm(pkg, "update", "--interactive", "--yes");
    assert.equal(yes.code, 2, yes.stderr);
    assert.match(yes.stderr, /--yes asks none/);
    const json = await cm(pkg, "update", "-i", "--json");
    assert.equal(json.code, 2, json.stderr);
    assert.match(json.stderr, /--json keeps stdout for the report/);
    const pullRequest = await cm(pkg, "update", "-i", "--pull-request");
    assert.equal(pullRequest.code, 2, pullRequest.stderr);
    assert.match(pullRequest.stderr, /does not take --interactive/);
    assert.deepEqual(await packageFiles(pkg), before);
  });

  it("on a terminal asks target, starter, schema and the pack's questions again; Enter keeps a recorded answer, a new one is merged in", {
    skip: hasTmux ? false : "tmux is not installed",
  }, async () => {
    const code = await driveInTmux(
      `cm-update-i-${process.pid}`,
      ["update", "-i", "--no-install"],
      { cwd: pkg, width: 200, timeoutMs: 60_000 },
      async (session) => {
        await waitFor(session, /Which framework/);
        keys(session, "Enter");
        await waitFor(session, /What does the middleware do\?/);
        assert.match(screen(session), /❯ +logger|> +logger|›.*logger/, "the recorded starter is preselected");
        keys(session, "Enter");
        await waitFor(session, /Validate the middleware's options with/);
        keys(session, "Enter");
        await waitFor(session, /Owning team\?/);
        assert.match(screen(session), /Owning team\?.*payments/, "the recorded answer is the default offered, not the pack's");
        text(session, "platform");
        keys(session, "Enter");
        await waitFor(session, /Region\?/);
        keys(session, "Enter");
      },
    );
    assert.equal(code, 0, "the update succeeded");
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as {
      answers: { target: string; starter: string; schema: string; vars: Record<string, unknown> };
    };
    assert.deepEqual(
      { target: record.answers.target, starter: record.answers.starter, schema: record.answers.schema, vars: record.answers.vars },
      { target: "express", starter: "logger", schema: "zod", vars: { team: "platform", region: "us" } },
    );
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /^Ask team platform \(us\)\.$/m);
  });

  it("Ctrl-C at a question stops it: exit 130, nothing written (cruft tests/test_cli.py::test_update_interactive_cancelled)", {
    skip: hasTmux ? false : "tmux is not installed",
  }, async () => {
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "After update -i");
    const before = await packageFiles(pkg);
    const code = await driveInTmux(
      `cm-update-i-cancel-${process.pid}`,
      ["update", "-i", "--no-install"],
      { cwd: pkg, width: 200 },
      async (session) => {
        await waitFor(session, /Which framework/);
        keys(session, "Enter");
        await waitFor(session, /What does the middleware do\?/);
        keys(session, "C-c");
      },
    );
    assert.equal(code, 130);
    assert.deepEqual(await packageFiles(pkg), before);
    assert.equal(git(pkg, "status", "--porcelain"), "");
  });
});

describe("answers without moving version (copier tests/test_updatediff.py::test_update_vcs_ref_current; cruft tests/test_cli.py::test_update_changed_variables)", () => {
  it("update --keep-template --vars-file --var re-renders on the recorded pack version; --starter switches the starter; the recorded source stays", async () => {
    const source = path.join(work.path, "keep-pack-source");
    await mkdir(path.join(source, "base"), { recursive: true });
    const version = async (label: string) => {
      await writeFile(
        path.join(source, "pack.json"),
        JSON.stringify({
          name: "keep-pack",
          version: label,
          questions: [
            { key: "team", type: "text", message: "Team?", default: "core" },
            { key: "region", type: "select", message: "Region?", choices: [{ value: "eu" }, { value: "us" }], default: "eu" },
          ],
        }),
      );
      await writeFile(path.join(source, "base", "TEAM.md.hbs"), `Team {{vars.team}} in {{vars.region}}, pack ${label}\n`);
      git(source, "add", "-A");
      git(source, "commit", "-qm", label);
      git(source, "tag", label);
    };
    git(work.path, "init", "-q", source);
    await version("v1.0.0");
    const made = await cm(work.path, "kept", "--yes", "--no-install", "--template", `git+file://${source}#v1.0.0`);
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "kept");
    const recordedBefore = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")).template;
    await version("v2.0.0");

    await writeFile(path.join(work.path, "keep-answers.json"), JSON.stringify({ team: "payments", region: "eu" }));
    const kept = await cm(
      work.path,
      "update",
      "kept",
      "--keep-template",
      "--vars-file",
      "keep-answers.json",
      "--var",
      "region=us",
      "--starter",
      "request-id",
    );
    assert.equal(kept.code, 0, kept.stdout + kept.stderr);
    assert.equal(
      await readFile(path.join(pkg, "TEAM.md"), "utf8"),
      "Team payments in us, pack v1.0.0\n",
      "new answers, the recorded pack version; --var wins over the file",
    );
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8"));
    assert.deepEqual(record.template, recordedBefore, "the recorded source and version stay as they were");
    assert.deepEqual(record.answers.vars, { team: "payments", region: "us" });
    assert.equal(record.answers.starter, "request-id");
    assert.match(await readFile(path.join(pkg, "src", "index.ts"), "utf8"), /request/i);
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "New answers");

    const contradiction = await cm(pkg, "update", "--keep-template", "--template", `git+file://${source}#v2.0.0`);
    assert.equal(contradiction.code, 2);
    assert.match(contradiction.stderr, /--keep-template .* --template/);
    const badFile = await cm(pkg, "update", "--vars-file", "missing.json");
    assert.equal(badFile.code, 2);
    assert.match(badFile.stderr, /--vars-file \S*missing\.json: cannot read .* \(it does not exist\)/);
  });
});

describe("merges as git merge-file does (copier tests/test_updatediff.py::test_update_with_new_file_in_template_and_project, ::test_3way_merged_files_without_conflicts_are_not_marked_unmerged)", () => {
  it("both sides added the same file: a conflict only on the line that differs; a whitespace-only edit of the user's: no conflict", async () => {
    const pack = path.join(work.path, "adding-pack");
    await writePack(pack, "4, 5", "Ask in #adding.");
    const made = await cm(work.path, "adding", "--yes", "--no-install", "--template", "./adding-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "adding");
    // The user adds CONTRIBUTING.md and reindents the support section of the README; the pack v2 adds
    // its own CONTRIBUTING.md (one line different) and changes the support line.
    await writeFile(path.join(pkg, "CONTRIBUTING.md"), "# Contributing\n\nOpen an issue first.\nRun npm test.\n");
    const readmePath = path.join(pkg, "README.md");
    await writeFile(readmePath, (await readFile(readmePath, "utf8")).replace("Ask in #adding.", "Ask in #adding.   "));
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "Our contributing guide; trailing spaces");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "CONTRIBUTING.md"), "# Contributing\n\nOpen a discussion first.\nRun npm test.\n");
    await writePack(pack, "4, 5", "Ask in #adding-help.");

    const result = await cm(pkg, "update");
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Conflicts in 1 file: CONTRIBUTING\.md\./);
    assert.equal(
      await readFile(path.join(pkg, "CONTRIBUTING.md"), "utf8"),
      "# Contributing\n\n<<<<<<< yours\nOpen an issue first.\n=======\nOpen a discussion first.\n>>>>>>> template\nRun npm test.\n",
    );
    assert.match(git(pkg, "status", "--porcelain"), /^AA CONTRIBUTING\.md$/m, "both added: AA, as git merge leaves it");
    assert.match(await readFile(readmePath, "utf8"), /^Ask in #adding-help\.$/m, "the whitespace-only edit gave way to the template's change");
    assert.match(git(pkg, "status", "--porcelain"), /^ M README\.md$/m, "changed on both sides, merged cleanly: not marked unmerged");
  });
});

describe("a secret question (copier tests/test_answersfile.py::test_answersfile, tests/test_updatediff.py::test_disable_secret_validator_on_replay)", () => {
  it("is asked and rendered, never recorded (answers file, --json), and asked again on update", async () => {
    const pack = path.join(work.path, "secret-pack");
    await writePack(pack, "4, 5", "Ask in #secret.");
    const manifest = (version: string) =>
      JSON.stringify({
        name: "secret-pack",
        version,
        questions: [
          { key: "token", type: "text", message: "Deploy token?", secret: true },
          { key: "team", type: "text", message: "Team?", default: "core" },
        ],
      });
    await writeFile(path.join(pack, "pack.json"), manifest("1.0.0"));
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "DEPLOY.md.hbs"), "token {{vars.token}} for {{vars.team}}\n");
    const made = await cm(work.path, "secretive", "--yes", "--no-install", "--json", "--template", "./secret-pack", "--var", "token=s3cr3t-1");
    assert.equal(made.code, 0, made.stderr);
    assert.doesNotMatch(made.stdout, /s3cr3t/, "not in the --json report");
    const pkg = path.join(work.path, "secretive");
    assert.equal(await readFile(path.join(pkg, "DEPLOY.md"), "utf8"), "token s3cr3t-1 for core\n");
    const answers = await readFile(path.join(pkg, ".create-middleware.json"), "utf8");
    assert.doesNotMatch(answers, /s3cr3t|token/);
    assert.deepEqual(JSON.parse(answers).answers.vars, { team: "core" });

    await writeFile(path.join(pack, "base", "DEPLOY.md.hbs"), "deploy token {{vars.token}} for {{vars.team}}\n");
    const unanswered = await cm(pkg, "update");
    assert.equal(unanswered.code, 2, unanswered.stderr);
    assert.match(unanswered.stderr, /--var token=/);
    const answered = await cm(pkg, "update", "--var", "token=s3cr3t-2");
    assert.equal(answered.code, 0, answered.stderr);
    assert.equal(await readFile(path.join(pkg, "DEPLOY.md"), "utf8"), "deploy token s3cr3t-2 for core\n");
    assert.doesNotMatch(await readFile(path.join(pkg, ".create-middleware.json"), "utf8"), /s3cr3t/);
  });
});

describe("pack.json exclude and skipIfExists (copier tests/test_copy.py::test_exclude_file, ::test_skip_if_exists; tests/test_updatediff.py::test_skip_update, ::test_skip_update_deleted)", () => {
  it("excluded files are never rendered; a skipIfExists file is created once, never updated, and created again only when deleted", async () => {
    const pack = path.join(work.path, "owned-pack");
    await writePack(pack, "4, 5", "Ask in #owned.");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(
      path.join(pack, "pack.json"),
      JSON.stringify({ name: "owned-pack", version: "1.0.0", exclude: ["SECURITY.md", "example/**"], skipIfExists: ["NOTES.md"] }),
    );
    await writeFile(path.join(pack, "base", "NOTES.md"), "notes v1\n");
    const made = await cm(work.path, "owned", "--yes", "--no-install", "--template", "./owned-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "owned");
    assert.ok(!existsSync(path.join(pkg, "SECURITY.md")), "excluded");
    assert.ok(!existsSync(path.join(pkg, "example")), "excluded, the whole folder");
    assert.equal(await readFile(path.join(pkg, "NOTES.md"), "utf8"), "notes v1\n");

    await writeFile(path.join(pack, "base", "NOTES.md"), "notes v2\n");
    await writePack(pack, "4, 5", "Ask in #owned-help.");
    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(await readFile(path.join(pkg, "NOTES.md"), "utf8"), "notes v1\n", "never updated, though untouched");
    assert.match(updated.stdout, /NOTES\.md\s+\(skipIfExists: created once/);
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /#owned-help/);
    assert.ok(!existsSync(path.join(pkg, "SECURITY.md")));
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "Update");

    git(pkg, "rm", "-q", "NOTES.md");
    git(pkg, "commit", "-qm", "No notes");
    await writeFile(path.join(pack, "base", "NOTES.md"), "notes v3\n");
    const recreated = await cm(pkg, "update");
    assert.equal(recreated.code, 0, recreated.stderr);
    assert.equal(await readFile(path.join(pkg, "NOTES.md"), "utf8"), "notes v3\n", "deleted: created again");
  });
});

describe("the executable bit of pack files (copier tests/test_copy.py::test_preserved_permissions; tests/test_updatediff.py::test_update_propagates_executable_bit_addition, ::test_update_propagates_executable_bit_removal)", () => {
  it("an executable pack file is written 0755 (never setuid or writable by others); a pack version's change of the bit is followed unless the user changed it", async () => {
    const pack = path.join(work.path, "modes-pack");
    await writePack(pack, "4, 5", "Ask in #modes.");
    await mkdir(path.join(pack, "base", "bin"), { recursive: true });
    const script = (name: string) => path.join(pack, "base", "bin", name);
    await writeFile(script("run.sh"), "#!/bin/sh\necho run\n");
    await writeFile(script("tool.sh"), "#!/bin/sh\necho tool\n");
    await writeFile(script("keep.sh"), "#!/bin/sh\necho keep\n");
    await chmod(script("run.sh"), 0o4777); // setuid and writable by anyone: only the x bit may come through
    await chmod(script("keep.sh"), 0o755);
    const made = await cm(work.path, "modal", "--yes", "--no-install", "--template", "./modes-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "modal");
    const mode = async (name: string) => (await stat(path.join(pkg, "bin", name))).mode & 0o7777;
    assert.equal(await mode("run.sh"), 0o755);
    assert.equal((await mode("tool.sh")) & 0o111, 0);
    assert.match(git(pkg, "ls-files", "-s", "bin/run.sh"), /^100755 /, "committed executable");
    // The user takes the bit off keep.sh: theirs from then on.
    await chmod(path.join(pkg, "bin", "keep.sh"), 0o644);
    git(pkg, "commit", "-qam", "keep.sh is sourced, not run");

    // v2: run.sh loses its bit and tool.sh gains one, contents unchanged; keep.sh changes content, still executable.
    await chmod(script("run.sh"), 0o644);
    await chmod(script("tool.sh"), 0o755);
    await writeFile(script("keep.sh"), "#!/bin/sh\necho keep v2\n");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout + outdated.stderr);
    assert.match(outdated.stdout, /bin\/run\.sh/, "a bit changed is a template change");
    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /updated +bin\/run\.sh +\(no longer executable, as in the template\)/);
    assert.match(updated.stdout, /updated +bin\/tool\.sh +\(made executable by the template\)/);
    assert.equal(await mode("run.sh"), 0o644);
    assert.equal(await mode("tool.sh"), 0o755);
    assert.equal(await readFile(path.join(pkg, "bin", "keep.sh"), "utf8"), "#!/bin/sh\necho keep v2\n");
    assert.equal(await mode("keep.sh"), 0o644, "the user's own change of the bit stays");
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "Update");
    assert.match(git(pkg, "ls-files", "-s", "bin/tool.sh"), /^100755 /);
    const current = await cm(pkg, "outdated");
    assert.equal(current.code, 0, current.stdout);
  });

  it("a file that gains the bit and conflicts is executable and still unmerged in git's index (copier tests/test_updatediff.py::test_update_with_exec_bit_change_and_merge_conflict)", async () => {
    const pack = path.join(work.path, "modes-conflict-pack");
    await writePack(pack, "4, 5", "Ask in #modes.");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(path.join(pack, "base", "launcher.sh"), "upstream version 1\n");
    const made = await cm(work.path, "modal-conflict", "--yes", "--no-install", "--template", "./modes-conflict-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "modal-conflict");
    await writeFile(path.join(pkg, "launcher.sh"), "upstream version 1 + downstream\n");
    git(pkg, "commit", "-qam", "downstream edit");
    await writeFile(path.join(pack, "base", "launcher.sh"), "upstream version 2\n");
    await chmod(path.join(pack, "base", "launcher.sh"), 0o755);
    const result = await cm(pkg, "update");
    assert.equal(result.code, 1, result.stderr);
    assert.match(await readFile(path.join(pkg, "launcher.sh"), "utf8"), /^<<<<<<< yours$/m);
    assert.equal((await stat(path.join(pkg, "launcher.sh"))).mode & 0o777, 0o755);
    assert.match(git(pkg, "status", "--porcelain"), /^UU launcher\.sh$/m);
    assert.deepEqual(
      git(pkg, "ls-files", "-s", "launcher.sh")
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/)[2]),
      ["1", "2", "3"],
      "three stages: the conflict was not collapsed",
    );
  });
});

describe("diff: the drift check (cruft tests/test_cli.py::test_diff_has_diff, ::test_diff_no_diff; tests/test_api.py::test_diff_has_diff)", () => {
  it("shows the user's changes against the templates the package was made from; --exit-code exits 1 on a difference, 0 without", async () => {
    const made = await cm(work.path, "drifting", "--yes", "--no-install");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "drifting");
    const clean = await cm(pkg, "diff", "--exit-code");
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /no changes against the templates/);

    const index = path.join(pkg, "src", "index.ts");
    await writeFile(index, (await readFile(index, "utf8")).replace(/^(export function )/m, `${USER_LINE}\n$1`));
    await rm(path.join(pkg, "SECURITY.md"));
    await writeFile(path.join(pkg, "NOTES.md"), "my own file, not drift\n");
    const drift = await cm(pkg, "diff", "--exit-code");
    assert.equal(drift.code, 1, drift.stderr);
    assert.match(drift.stdout, /^--- a\/src\/index\.ts\n\+\+\+ b\/src\/index\.ts\n/m);
    assert.ok(drift.stdout.includes(`+${USER_LINE}`));
    assert.match(drift.stdout, /^--- a\/SECURITY\.md\n\+\+\+ \/dev\/null$/m);
    assert.doesNotMatch(drift.stdout, /NOTES\.md/);
    const stat = await cm(path.join(pkg, "src"), "diff", "--stat");
    assert.equal(stat.code, 0, "without --exit-code a difference is no failure");
    assert.deepEqual(stat.stdout.trim().split("\n"), ["deleted   SECURITY.md", "modified  src/index.ts"]);
    const json = JSON.parse((await cm(pkg, "diff", "--json")).stdout);
    assert.deepEqual(
      json.files.map((file: { path: string; change: string }) => [file.path, file.change]),
      [
        ["SECURITY.md", "deleted"],
        ["src/index.ts", "modified"],
      ],
    );
    assert.equal(json.base.kind, "git");
  });
});

describe("more of copier's and cruft's update scenarios", () => {
  /** A pack folder whose base/ layer holds `files` (path -> text); pack.json when `manifest` is given. */
  async function basePack(name: string, files: Record<string, string>, manifest?: object): Promise<string> {
    const pack = path.join(work.path, name);
    await writePack(pack, "4, 5", `Ask in #${name}.`);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(pack, "base", file)), { recursive: true });
      await writeFile(path.join(pack, "base", file), text);
    }
    if (manifest) await writeFile(path.join(pack, "pack.json"), JSON.stringify(manifest));
    return pack;
  }
  const make = async (name: string, pack: string, ...args: string[]) => {
    const made = await cm(work.path, name, "--yes", "--no-install", "--template", `./${path.basename(pack)}`, ...args);
    assert.equal(made.code, 0, made.stderr);
    return path.join(work.path, name);
  };

  it("an update with nothing new changes nothing: exit 0, 'nothing to do', no file and no pristine render written (cruft tests/test_cli.py::test_update_noop; copier tests/test_updatediff.py::test_updatediff, its last update)", async () => {
    const pkg = await make("noop", await basePack("noop-pack", { "NOTES.md": "notes\n" }));
    const base = git(pkg, "rev-parse", "refs/create-middleware/base");
    const before = await packageFiles(pkg);
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /is up to date with its templates .*; nothing to do\./);
    assert.deepEqual(await packageFiles(pkg), before);
    assert.equal(git(pkg, "status", "--porcelain"), "");
    assert.equal(git(pkg, "rev-parse", "refs/create-middleware/base"), base, "no new pristine render");
  });

  it("the answers file always takes the template's version, even reformatted by hand: no conflict there (copier tests/test_updatediff.py::test_overwrite_answers_file_always)", async () => {
    const pack = await basePack("answers-pack", { "NOTES.md": "notes\n" });
    const pkg = await make("reformatted", pack);
    const answersPath = path.join(pkg, ".create-middleware.json");
    const reformatted = `${JSON.stringify(JSON.parse(await readFile(answersPath, "utf8")), null, 4)}\n`;
    await writeFile(answersPath, reformatted);
    git(pkg, "commit", "-qam", "Four spaces");
    await writeFile(path.join(pack, "base", "NOTES.md"), "notes v2\n");
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    const after = await readFile(answersPath, "utf8");
    assert.doesNotMatch(after, /^(<<<<<<<|=======|>>>>>>>)/m);
    assert.notEqual(after, reformatted, "the template's formatting, not the hand-made one");
    assert.doesNotMatch(git(pkg, "status", "--porcelain"), /^(UU|AA) /m);
    assert.equal(await readFile(path.join(pkg, "NOTES.md"), "utf8"), "notes v2\n");
  });

  it("a file a newer pack version excludes stays as it is; the others update (copier tests/test_updatediff.py::test_exclude_added_in_new_version)", async () => {
    const pack = await basePack("exclude-later-pack", { "COPY-ONLY.md": "foo\n", "COPY-AND-UPDATE.md": "foo\n" });
    const pkg = await make("exclude-later", pack);
    await basePack(
      "exclude-later-pack",
      { "COPY-ONLY.md": "bar\n", "COPY-AND-UPDATE.md": "bar\n" },
      { name: "exclude-later-pack", version: "2.0.0", exclude: ["COPY-ONLY.md"] },
    );
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(path.join(pkg, "COPY-ONLY.md"), "utf8"), "foo\n", "not deleted, not updated");
    assert.equal(await readFile(path.join(pkg, "COPY-AND-UPDATE.md"), "utf8"), "bar\n");
    assert.match(result.stdout, /unchanged +COPY-ONLY\.md +\(exclude: the pack no longer renders it; yours stays\)/);
  });

  it("a file the template moves is moved; the user's own files beside it stay; an answer with an umlaut renders and replays (cruft tests/test_cli.py::test_update_when_file_moved; copier tests/test_updatediff.py::test_file_removed, ::test_update_with_answers_with_umlaut)", async () => {
    const manifest = { name: "move-pack", version: "1.0.0", questions: [{ key: "city", type: "text", message: "City?" }] };
    const pack = await basePack("move-pack", { "docs/OLD.md.hbs": "Office: {{vars.city}}\n" }, manifest);
    const pkg = await make("moving", pack, "--var", "city=Zürich");
    assert.equal(await readFile(path.join(pkg, "docs", "OLD.md"), "utf8"), "Office: Zürich\n");
    await writeFile(path.join(pkg, "docs", "MINE.md"), "mine\n");
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "A doc of our own");
    await rm(path.join(pack, "base", "docs", "OLD.md.hbs"));
    await basePack("move-pack", { "docs/NEW.md.hbs": "Office: {{vars.city}}\n" }, { ...manifest, version: "2.0.0" });
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /removed +docs\/OLD\.md/);
    assert.match(result.stdout, /added +docs\/NEW\.md/);
    assert.equal(existsSync(path.join(pkg, "docs", "OLD.md")), false);
    assert.equal(await readFile(path.join(pkg, "docs", "NEW.md"), "utf8"), "Office: Zürich\n");
    assert.equal(await readFile(path.join(pkg, "docs", "MINE.md"), "utf8"), "mine\n");
    assert.equal(JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")).answers.vars.city, "Zürich");
  });

  it("a conflict in non-ASCII text keeps both sides' characters intact (copier tests/test_updatediff.py::test_conflict_on_update_with_unicode_in_content)", async () => {
    const pack = await basePack("unicode-pack", { "GREETING.md": "Grüße aus Köln\n" });
    const pkg = await make("unicode", pack);
    await writeFile(path.join(pkg, "GREETING.md"), "Grüße aus Köln, 世界 🌍\n");
    git(pkg, "commit", "-qam", "Ours");
    await writeFile(path.join(pack, "base", "GREETING.md"), "Привет из Кёльна ✓\n");
    const result = await cm(pkg, "update");
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      await readFile(path.join(pkg, "GREETING.md"), "utf8"),
      "<<<<<<< yours\nGrüße aus Köln, 世界 🌍\n=======\nПривет из Кёльна ✓\n>>>>>>> template\n",
    );
    assert.match(git(pkg, "status", "--porcelain"), /^UU GREETING\.md$/m);
  });

  it("files the update does not change are not rewritten: their modification times stay (copier tests/test_copy.py::test_timestamp_identical)", async () => {
    const pack = await basePack("mtime-pack", { "STAYS.md": "stays\n", "MOVES.md": "v1\n" });
    const pkg = await make("mtimes", pack);
    const old = new Date("2001-02-03T04:05:06Z");
    for (const file of ["STAYS.md", "MOVES.md", "src/index.ts"]) await utimes(path.join(pkg, file), old, old);
    await writeFile(path.join(pack, "base", "MOVES.md"), "v2\n");
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await stat(path.join(pkg, "STAYS.md"))).mtimeMs, old.getTime());
    assert.equal((await stat(path.join(pkg, "src", "index.ts"))).mtimeMs, old.getTime());
    assert.notEqual((await stat(path.join(pkg, "MOVES.md"))).mtimeMs, old.getTime(), "the one file written");
  });

  it("a generated file the package's .gitignore ignores is still updated (copier tests/test_updatediff.py::test_update_keeps_template_generated_gitignored_file)", async () => {
    const pack = await basePack("ignored-pack", { ".env.example": "VERSION=v1\n" });
    const pkg = await make("ignoring", pack);
    git(pkg, "rm", "-q", "--cached", ".env.example");
    await writeFile(path.join(pkg, ".gitignore"), `${await readFile(path.join(pkg, ".gitignore"), "utf8")}.env.example\n`);
    git(pkg, "commit", "-qam", "Ignore the env example");
    assert.equal(git(pkg, "ls-files", "--", ".env.example"), "");
    await writeFile(path.join(pack, "base", ".env.example"), "VERSION=v2\n");
    const result = await cm(pkg, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(path.join(pkg, ".env.example"), "utf8"), "VERSION=v2\n");
  });

  it("a --vars-file that is missing, not JSON or not an object: exit 2 naming the file, nothing written (cruft tests/test_cli.py::test_update_changed_variables_wrong_file)", async () => {
    const manifest = { name: "vars-file-pack", version: "1.0.0", questions: [{ key: "team", type: "text", message: "Team?", default: "core" }] };
    const pkg = await make("wrong-vars", await basePack("vars-file-pack", { "TEAM.md.hbs": "{{vars.team}}\n" }, manifest));
    await writeFile(path.join(work.path, "not-json.json"), "team=payments\n");
    await writeFile(path.join(work.path, "a-list.json"), '["payments"]\n');
    const before = await packageFiles(pkg);
    for (const [file, pattern] of [
      ["missing.json", /--vars-file .*missing\.json: cannot read .* \(it does not exist\)/],
      ["not-json.json", /--vars-file .*not-json\.json is not valid JSON/],
      ["a-list.json", /--vars-file .*a-list\.json must hold a JSON object of answers .*not a list/],
    ] as const) {
      const result = await cm(pkg, "update", "--vars-file", path.join(work.path, file));
      assert.equal(result.code, 2, `${file}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
    }
    assert.deepEqual(await packageFiles(pkg), before);
  });

  it("a package checked out in a linked git worktree (its .git a file) updates from its pristine render (copier tests/test_updatediff.py::test_update_with_separate_git_directory)", async () => {
    const pack = await basePack("worktree-pack", { "NOTES.md": "notes\n" });
    const pkg = await make("worktree-main", pack);
    git(pkg, "worktree", "add", "-q", "-b", "feature", path.join(work.path, "worktree-linked"));
    const linked = path.join(work.path, "worktree-linked");
    assert.match(await readFile(path.join(linked, ".git"), "utf8"), /^gitdir: /);
    await writeFile(path.join(pack, "base", "NOTES.md"), "notes v2\n");
    const result = await cm(linked, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /base: the pristine render [0-9a-f]{12} kept in the package's repository/);
    assert.equal(await readFile(path.join(linked, "NOTES.md"), "utf8"), "notes v2\n");
    assert.equal(await readFile(path.join(pkg, "NOTES.md"), "utf8"), "notes\n", "the main worktree is not touched");
  });
});

describe("a fresh clone, without refs/create-middleware/base (no copier or cruft test: neither keeps the base in the package)", () => {
  it("the first update takes create's initial commit (lockfiles left out) as the base", async () => {
    const pack = path.join(work.path, "clone-pack");
    await writePack(pack, "4, 5", "Ask in #clone.");
    const made = await cm(work.path, "origin-pkg", "--yes", "--no-install", "--template", "./clone-pack");
    assert.equal(made.code, 0, made.stderr);
    const origin = path.join(work.path, "origin-pkg");
    const index = path.join(origin, "src", "index.ts");
    await writeFile(index, (await readFile(index, "utf8")).replace(/^(export function )/m, `${USER_LINE}\n$1`));
    git(origin, "commit", "-qam", "Note about ids");
    git(work.path, "clone", "-q", origin, "cloned-pkg");
    const clone = path.join(work.path, "cloned-pkg");
    assert.equal(
      spawnSync("git", ["rev-parse", "--verify", "-q", "refs/create-middleware/base"], { cwd: clone }).status,
      1,
      "the ref was not cloned",
    );

    await writePack(pack, "5", "Ask in #clone (new).");
    const outdated = await cm(clone, "outdated");
    assert.equal(outdated.code, 1);
    assert.match(outdated.stdout, /changed\s+README\.md/);
    const result = await cm(clone, "update");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /base: the package's initial commit/);
    assert.match(result.stdout, /updated\s+README\.md/);
    assert.ok((await readFile(path.join(clone, "src", "index.ts"), "utf8")).includes(USER_LINE));
    assert.match(await readFile(path.join(clone, "README.md"), "utf8"), /Ask in #clone \(new\)\./);
    // From now on the clone keeps its own pristine renders.
    assert.equal(spawnSync("git", ["rev-parse", "--verify", "-q", "refs/create-middleware/base"], { cwd: clone }).status, 0);
  });
});

describe("update without the package's own repository", () => {
  it("re-renders the recorded version as the base (same create-middleware, unchanged pack), as cruft does (tests/test_cli.py::test_update); refuses clearly when that is gone", async () => {
    const pack = path.join(work.path, "loose-pack");
    await writePack(pack, "4, 5", "Ask in #loose.");
    const made = await cm(work.path, "loose", "--yes", "--no-install", "--no-git", "--template", "./loose-pack");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "loose");
    const index = path.join(pkg, "src", "index.ts");
    // Above the factory: the -o below drops the asyncContext option, and with it the block before the first
    // `export function` (currentRequestId), so an edit there would rightly conflict.
    await writeFile(index, (await readFile(index, "utf8")).replace(/^(export function loose<)/m, `${USER_LINE}\n$1`));

    const same = await cm(pkg, "outdated");
    assert.equal(same.code, 0, same.stderr);
    const migrated = await cm(pkg, "update", "-o", "level:info|debug=info");
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /a fresh render of the recorded version/);
    assert.ok((await readFile(index, "utf8")).includes(USER_LINE));
    assert.match(await readFile(path.join(pkg, ".create-middleware.json"), "utf8"), /"level:info\|debug=info"/);

    await writePack(pack, "5", "Ask in #loose (new).");
    const before = await packageFiles(pkg);
    const refused = await cm(pkg, "update");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Cannot find the base/);
    assert.match(refused.stderr, /has changed since the package was made/);
    assert.deepEqual(await packageFiles(pkg), before);
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, "the versions alone say an update exists");
  });

  it("a package made for pnpm keeps pnpm's commands in its README (the package manager is not recorded, so it is inferred; no copier or cruft test)", async () => {
    const made = await cm(work.path, "for-pnpm", "--yes", "--no-install", "--pm", "pnpm");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "for-pnpm");
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 0, outdated.stdout);
    // valibot is a new dependency: the install it needs would run pnpm, which this machine may lack.
    const result = await cm(pkg, "update", "--schema", "valibot", "--no-install");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /install them with: pnpm install$/m, "the install is the package's manager's too");
    assert.doesNotMatch(result.stdout, /README\.md/);
    assert.match(await readFile(path.join(pkg, "README.md"), "utf8"), /^pnpm install$/m);
  });

  it("a folder without .create-middleware.json is a usage error (no copier or cruft test)", async () => {
    const empty = path.join(work.path, "not-a-package");
    await mkdir(empty);
    const result = await cm(empty, "update");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /has no \.create-middleware\.json/);
  });
});
