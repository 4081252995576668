/**
 * `create-middleware link`: a hand-written package adopted (docs/update.md, "Adopting a package: link").
 * It records answers (from package.json where it can) and the templates' render as the base, writes only
 * the answers file, and from then on `diff` shows how the package differs and `update` merges what the
 * templates change. Refusals: no package.json, already linked (without --force), a broken package.json.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { gitSandbox, packageFiles } from "../helpers/git-sandbox.js";
import { driveInTmux, hasTmux, keys, screen, waitFor } from "../helpers/tmux.js";

const work = gitSandbox("cm-link-");
const { cm, git } = work;

const NOTICE_V1 = "Line A\nLine B\nLine C\nLine D\n";

/** A team pack with two files of its own: CODEOWNERS and NOTICE.md. */
async function writePack(pack: string, owners: string, notice: string, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(path.join(pack, "base"), { recursive: true });
  await writeFile(path.join(pack, "base", "CODEOWNERS"), owners);
  await writeFile(path.join(pack, "base", "NOTICE.md"), notice);
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(pack, "base", file)), { recursive: true });
    await writeFile(path.join(pack, "base", file), text);
  }
}

/** A package written by hand: its own package.json, code and README; some files copied from the team's pack. */
async function handWritten(directory: string, manifest: Record<string, unknown>, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(path.join(directory, "src"), { recursive: true });
  await writeFile(path.join(directory, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(
    path.join(directory, "src", "index.ts"),
    "export function handLogger() {\n  return (req: unknown, res: unknown, next: () => void) => next();\n}\n",
  );
  await writeFile(path.join(directory, "README.md"), "# hand-logger\n\nWritten by hand.\n");
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), text);
  }
}

const HAND_MANIFEST = {
  name: "@acme/hand-logger",
  version: "1.2.0",
  description: "Logs requests, by hand.",
  license: "Apache-2.0",
  author: "Ann Lee <ann@example.com>",
  type: "module",
  peerDependencies: { express: "^5.0.0" },
  dependencies: { zod: "^4.0.0" },
};

describe("link a hand-written package", () => {
  it("records the answers package.json gives, writes only the answers file; diff shows the differences; update merges a template change", async () => {
    const pack = path.join(work.path, "team-pack");
    await writePack(pack, "* @acme/platform\n", NOTICE_V1);
    const pkg = path.join(work.path, "hand-logger");
    // The team's NOTICE.md, copied by hand with a line of the package's own; CODEOWNERS as the pack has it.
    await handWritten(pkg, HAND_MANIFEST, { CODEOWNERS: "* @acme/platform\n", "NOTICE.md": `${NOTICE_V1}Ours: the gateway logs too.\n` });
    git(pkg, "init", "-q");
    git(pkg, "add", "-A");
    git(pkg, "commit", "-qm", "By hand");
    const before = await packageFiles(pkg);

    const dryRun = await cm(work.path, "link", "hand-logger", "--template", "./team-pack", "--yes", "--dry-run", "--json");
    assert.equal(dryRun.code, 0, dryRun.stderr);
    const report = JSON.parse(dryRun.stdout);
    assert.equal(report.answers.answers.packageName, "@acme/hand-logger");
    assert.equal(report.answers.answers.target, "express", "the only target its dependencies name");
    assert.equal(report.answers.answers.schema, "zod", "the only schema its dependencies name");
    assert.equal(report.answers.answers.description, "Logs requests, by hand.");
    assert.equal(report.answers.answers.author, "Ann Lee");
    assert.equal(report.answers.answers.license, "Apache-2.0");
    assert.equal(report.sources.target, "detected");
    assert.equal(report.sources.packageName, "detected");
    assert.deepEqual(await packageFiles(pkg), before, "--dry-run writes nothing");

    const linked = await cm(work.path, "link", "hand-logger", "--template", "./team-pack", "--yes");
    assert.equal(linked.code, 0, linked.stderr);
    assert.match(linked.stdout, /Linked @acme\/hand-logger in \.\/hand-logger/);
    assert.match(linked.stdout, /base: the render [0-9a-f]{12} kept in the package's repository/);
    const after = await packageFiles(pkg);
    assert.deepEqual(Object.keys(after).sort(), [...Object.keys(before), ".create-middleware.json"].sort(), "only the answers file is new");
    for (const [file, text] of Object.entries(before)) assert.equal(after[file], text, `${file} is as it was`);
    const recorded = JSON.parse(after[".create-middleware.json"]!);
    assert.equal(recorded.template.source, "../team-pack", "the pack, relative to the package");
    git(pkg, "add", ".create-middleware.json");
    git(pkg, "commit", "-qm", "Linked to the team's templates");

    const diff = await cm(pkg, "diff", "--stat");
    assert.equal(diff.code, 0, diff.stderr);
    const listed = diff.stdout.trim().split("\n");
    for (const line of ["modified  README.md", "modified  src/index.ts", "modified  NOTICE.md", "modified  package.json", "deleted   LICENSE"])
      assert.ok(listed.includes(line), `${line} in:\n${diff.stdout}`);
    assert.ok(!listed.some((line) => line.endsWith(" CODEOWNERS")), "a file the same as the template's is no difference");
    assert.equal((await cm(pkg, "outdated")).code, 0, "nothing moved since the link");

    // The team's pack moves on: CODEOWNERS and NOTICE.md change, a file is added.
    await writePack(pack, "* @acme/platform @acme/security\n", NOTICE_V1.replace("Line A", "Line A, revised"), {
      "docs/SUPPORT.md": "Ask #platform.\n",
    });
    const outdated = await cm(pkg, "outdated");
    assert.equal(outdated.code, 1, outdated.stdout);
    const updated = await cm(pkg, "update");
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.match(updated.stdout, /updated\s+CODEOWNERS/);
    assert.match(updated.stdout, /merged\s+NOTICE\.md/);
    assert.match(updated.stdout, /added\s+docs\/SUPPORT\.md/);
    assert.doesNotMatch(updated.stdout, /conflict/);
    assert.equal(await readFile(path.join(pkg, "CODEOWNERS"), "utf8"), "* @acme/platform @acme/security\n");
    assert.equal(await readFile(path.join(pkg, "NOTICE.md"), "utf8"), "Line A, revised\nLine B\nLine C\nLine D\nOurs: the gateway logs too.\n");
    for (const file of ["README.md", "src/index.ts", "package.json"])
      assert.equal(await readFile(path.join(pkg, file), "utf8"), before[file], `${file} is the user's`);
    assert.equal(existsSync(path.join(pkg, "LICENSE")), false, "a template file the package never had stays absent");
  });

  it("guesses no target when the dependencies name several (the default with --yes); flags win over package.json", async () => {
    const pkg = path.join(work.path, "both-targets");
    await handWritten(pkg, { name: "both-targets", dependencies: { express: "^5.0.0", "socket.io": "^4.8.0" } });
    const both = await cm(pkg, "link", "--yes", "--dry-run", "--json");
    assert.equal(both.code, 0, both.stderr);
    assert.equal(JSON.parse(both.stdout).sources.target, "default");
    const flagged = await cm(pkg, "link", "--yes", "--dry-run", "--json", "--target", "socket.io", "--name", "@acme/sockets");
    assert.equal(flagged.code, 0, flagged.stderr);
    const answers = JSON.parse(flagged.stdout).answers.answers;
    assert.equal(answers.target, "socket.io");
    assert.equal(answers.packageName, "@acme/sockets");

    // A pack's questions: --vars-file (relative to where the command runs), --var over it, defaults for the rest.
    const pack = path.join(work.path, "question-pack");
    await mkdir(path.join(pack, "base"), { recursive: true });
    await writeFile(
      path.join(pack, "pack.json"),
      JSON.stringify({
        name: "question-pack",
        version: "1.0.0",
        questions: [
          { key: "team", type: "text", message: "Team?", default: "core" },
          { key: "region", type: "text", message: "Region?", default: "eu" },
          { key: "tier", type: "text", message: "Tier?", default: "gold" },
        ],
      }),
    );
    await writeFile(path.join(pack, "base", "TEAM.md.hbs"), "Team {{vars.team}} in {{vars.region}}\n");
    await writeFile(path.join(work.path, "link-answers.json"), JSON.stringify({ team: "payments", region: "eu" }));
    const withVars = await cm(
      work.path,
      "link",
      "both-targets",
      "--template",
      "./question-pack",
      "--vars-file",
      "link-answers.json",
      "--var",
      "region=us",
      "--yes",
      "--json",
    );
    assert.equal(withVars.code, 0, withVars.stderr);
    assert.deepEqual(JSON.parse(withVars.stdout).answers.answers.vars, { team: "payments", region: "us", tier: "gold" });
    assert.equal(JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")).template.source, "../question-pack");
  });
});

describe("link a monorepo's member", () => {
  it("renders it as create makes a member (no .github/ of its own, the workspace's manager) and keeps the base in the monorepo's repository", async () => {
    const root = path.join(work.path, "mono");
    await mkdir(root);
    await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "mono", private: true, workspaces: ["packages/*"] }));
    await writeFile(path.join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    const pkg = path.join(root, "packages", "sockets");
    await handWritten(pkg, { name: "@acme/sockets", dependencies: { "socket.io": "^4.8.0" } });
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "The workspace");

    const linked = await cm(pkg, "link", "--yes");
    assert.equal(linked.code, 0, linked.stderr);
    assert.match(linked.stdout, /kept in the repository, under packages\/sockets/);
    const tree = git(root, "ls-tree", "-r", "--name-only", "refs/create-middleware/base");
    assert.match(tree, /^packages\/sockets\/\.create-middleware\.json$/m);
    assert.doesNotMatch(tree, /\.github\//, "a member has no .github/ of its own");
    assert.match(git(root, "show", "refs/create-middleware/base:packages/sockets/README.md"), /^pnpm install$/m, "the workspace's manager");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "Linked");
    const diff = await cm(pkg, "diff", "--json");
    assert.equal(diff.code, 0, diff.stderr);
    const report = JSON.parse(diff.stdout) as { base: { kind: string }; files: { path: string }[] };
    assert.equal(report.base.kind, "git");
    assert.deepEqual(
      report.files.filter((file) => file.path.startsWith(".github/")),
      [],
    );
  });
});

describe("link refuses", () => {
  it("a folder without package.json, a missing folder, a broken package.json (exit 2, nothing written)", async () => {
    const empty = path.join(work.path, "no-manifest");
    await mkdir(empty);
    const none = await cm(empty, "link", "--yes");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has no package\.json, so there is no package to link.*create-middleware/);
    assert.deepEqual(await readdir(empty), []);

    const missing = await cm(work.path, "link", "not-here", "--yes");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /not-here does not exist/);

    const broken = path.join(work.path, "broken-manifest");
    await mkdir(broken);
    await writeFile(path.join(broken, "package.json"), '{ "name": "x",');
    const bad = await cm(broken, "link", "--yes");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /package\.json is not valid JSON/);
    assert.deepEqual(await readdir(broken), ["package.json"]);

    // Read through read-user-file.ts: one over the size cap is refused by name, not read whole.
    const huge = path.join(work.path, "huge-manifest");
    await mkdir(huge);
    await writeFile(path.join(huge, "package.json"), '{ "name": "huge" }');
    await truncate(path.join(huge, "package.json"), 16 * 1024 * 1024 + 1);
    const tooLarge = await cm(huge, "link", "--yes");
    assert.equal(tooLarge.code, 2);
    assert.match(tooLarge.stderr, /package\.json is larger than 16 MB/);
    assert.deepEqual(await readdir(huge), ["package.json"]);
  });

  it("a package create-middleware made (it has the answers file), unless --force", async () => {
    const made = await cm(work.path, "made-here", "--yes", "--no-install", "--no-git");
    assert.equal(made.code, 0, made.stderr);
    const pkg = path.join(work.path, "made-here");
    const answers = await readFile(path.join(pkg, ".create-middleware.json"), "utf8");
    const refused = await cm(pkg, "link", "--yes", "--schema", "zod");
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already holds \.create-middleware\.json.*--force links it anew/);
    assert.equal(await readFile(path.join(pkg, ".create-middleware.json"), "utf8"), answers, "the answers file is untouched");

    const forced = await cm(pkg, "link", "--yes", "--schema", "zod", "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /not in a git repository/);
    assert.match(forced.stdout, /Replaced \.create-middleware\.json \(--force\)/);
    assert.equal(JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")).answers.schema, "zod");
  });
});

describe("link on a terminal", () => {
  /** A package.json that says nothing link could take the target, starter or schema from: all are asked. */
  async function silentPackage(name: string): Promise<string> {
    const directory = path.join(work.path, name);
    await mkdir(directory);
    await writeFile(path.join(directory, "package.json"), `${JSON.stringify({ name, version: "1.0.0", description: "By hand." }, null, 2)}\n`);
    git(directory, "init", "-q");
    return directory;
  }

  it("asks what package.json does not say (target, starter, schema, the starter's options) and records the answers", {
    skip: hasTmux ? false : "tmux is not installed",
  }, async () => {
    const pkg = await silentPackage("asked-link");
    // Run from the parent folder: the exit code file must not land in the package.
    const code = await driveInTmux(
      `cm-link-i-${process.pid}`,
      ["link", "asked-link"],
      { cwd: work.path, width: 200, timeoutMs: 60_000 },
      async (session) => {
        await waitFor(session, /Which framework/);
        keys(session, "Down", "Enter");
        await waitFor(session, /What does the middleware do\?/);
        assert.match(screen(session), /❯ +auth/, "Socket.IO's default starter is offered first");
        keys(session, "Down", "Enter");
        await waitFor(session, /Validate the middleware's options with/);
        keys(session, "Down", "Down", "Enter");
        await waitFor(session, /Repository URL/);
        keys(session, "Enter");
        await waitFor(session, /Keep them/);
        keys(session, "Enter");
        await waitFor(session, /Add an option of your own/);
        keys(session, "Enter");
      },
    );
    assert.equal(code, 0, "link succeeded");
    const record = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as {
      answers: { target: string; starter: string; schema: string; description: string };
    };
    assert.deepEqual(
      { target: record.answers.target, starter: record.answers.starter, schema: record.answers.schema, description: record.answers.description },
      { target: "socket.io", starter: "rate-limit", schema: "valibot", description: "By hand." },
    );
    assert.deepEqual((await readdir(pkg)).sort(), [".create-middleware.json", ".git", "package.json"], "only the answers file is written");
  });

  it("Ctrl-C at a question stops it: exit 130, no answers file, no base kept", {
    skip: hasTmux ? false : "tmux is not installed",
  }, async () => {
    const pkg = await silentPackage("cancelled-link");
    const code = await driveInTmux(`cm-link-cancel-${process.pid}`, ["link", "cancelled-link"], { cwd: work.path, width: 200 }, async (session) => {
      await waitFor(session, /Which framework/);
      keys(session, "Enter");
      await waitFor(session, /What does the middleware do\?/);
      keys(session, "C-c");
    });
    assert.equal(code, 130);
    assert.deepEqual((await readdir(pkg)).sort(), [".git", "package.json"]);
    const ref = spawnSync("git", ["rev-parse", "--verify", "--quiet", "refs/create-middleware/base"], { cwd: pkg, encoding: "utf8" });
    assert.notEqual(ref.status, 0, "no pristine render was kept");
  });
});
