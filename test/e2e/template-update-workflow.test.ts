/**
 * The generated .github/workflows/template-update.yml, run step by step as a runner would (not GitHub): its
 * `uses:` steps are only actions/checkout (a fresh clone of a local bare remote) and actions/setup-node
 * (nothing to do), its `run:` steps run in order with bash, their `${{ }}` expressions filled in, and
 * GITHUB_OUTPUT passed between them. `gh` and `npx` are stubs on PATH that record their arguments; the stub
 * npx runs this repository's built CLI. A team pack folder goes v1 -> v2 with a conflict, a merge and a
 * changelog; then reruns, a branch someone else pushed to, a dirty tree, a pack that cannot be fetched, and
 * a pack that needs a newer create-middleware.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { BIN, runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let stubs: string;

const gitEnv = () => ({ ...process.env, ...env, GIT_DIR: undefined, GIT_WORK_TREE: undefined });
const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", env: gitEnv() });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

const GH_STUB = `#!/bin/sh
# Records each call; "pr list" prints the open pull request's number (once "pr create" made one).
n=$(ls "$STUB_LOG" | grep -c '^gh-')
printf '%s\\n' "$@" > "$STUB_LOG/gh-$n.args"
printf '%s' "$GH_TOKEN" > "$STUB_LOG/gh-$n.token"
prev=""
for arg in "$@"; do
  if [ "$prev" = "--body-file" ]; then cp "$arg" "$STUB_LOG/body-$n.md"; fi
  prev="$arg"
done
case "$1 $2" in
  "pr list") if [ -f "$STUB_STATE/open-pr" ]; then cat "$STUB_STATE/open-pr"; fi ;;
  "pr create") echo 7 > "$STUB_STATE/open-pr"; echo "https://github.com/acme/my-logger/pull/7" ;;
  "pr edit") ;;
  *) echo "unexpected gh call: $*" >&2; exit 1 ;;
esac
`;

const NPX_STUB = `#!/bin/sh
# npx --yes create-middleware-package@<version> <args>: recorded, then this repository's CLI runs <args>.
printf '%s\\n' "$*" >> "$STUB_LOG/npx.log"
shift 2
exec node "${BIN}" "$@"
`;

async function writePack(pack: string, support: string, matrix: string, changelog: string): Promise<void> {
  await mkdir(path.join(pack, "express", "_partials"), { recursive: true });
  await writeFile(path.join(pack, "express", "_partials", "ci-matrix.hbs"), `express: [${matrix}]\n`);
  await writeFile(path.join(pack, "express", "_partials", "readme-more.hbs"), `\n## Support\n\n${support}\n`);
  await writeFile(path.join(pack, "CHANGELOG.md"), changelog);
}

interface Job {
  code: number;
  output: string;
  /** The clone the job ran in. */
  clone: string;
}

let runs = 0;

/** Runs the workflow file of `remote`'s main branch as its one job would run, in a fresh clone. */
async function runWorkflow(remote: string, options: { beforeStep?: (name: string, clone: string) => Promise<void> } = {}): Promise<Job> {
  const clone = path.join(work.path, `run-${++runs}`);
  let workflow:
    | {
        permissions: Record<string, string>;
        jobs: Record<
          string,
          { steps: Array<{ uses?: string; with?: Record<string, unknown>; id?: string; name?: string; env?: Record<string, string>; run?: string }> }
        >;
      }
    | undefined;
  const outputs: Record<string, Record<string, string>> = {};
  const fill = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      if (expression === "github.token") return "test-token";
      const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
      assert.ok(step, `an expression the test runner knows: ${expression}`);
      return outputs[step[1]!]?.[step[2]!] ?? "";
    });
  let output = "";
  const jobs = () => Object.values(workflow!.jobs);
  // The checkout step needs the workflow, and the workflow is in the repository: read it from the remote.
  workflow = parse(git(work.path, "--git-dir", remote, "show", "main:.github/workflows/template-update.yml")) as typeof workflow;
  assert.deepEqual(workflow!.permissions, { contents: "write", "pull-requests": "write" });
  assert.equal(jobs().length, 1);
  for (const [index, step] of jobs()[0]!.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${index}`;
    await options.beforeStep?.(name, clone);
    if (step.uses !== undefined) {
      assert.match(step.uses, /^actions\/(checkout|setup-node)@v\d+$/, "no third-party action");
      if (step.uses.startsWith("actions/checkout")) {
        assert.equal(step.with?.["fetch-depth"], 0);
        git(work.path, "clone", "--quiet", remote, clone);
      }
      continue;
    }
    const githubOutput = path.join(work.path, `output-${runs}-${index}`);
    await writeFile(githubOutput, "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", fill(step.run!)], {
      cwd: clone,
      encoding: "utf8",
      env: {
        ...gitEnv(),
        PATH: `${stubs}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
        STUB_LOG: path.join(work.path, "log"),
        STUB_STATE: stubs,
        GITHUB_OUTPUT: githubOutput,
        npm_config_user_agent: undefined,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, fill(String(value))])),
      },
      timeout: 300_000,
    });
    output += `${result.stdout}${result.stderr}`;
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        (await readFile(githubOutput, "utf8"))
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
    if (result.status !== 0) return { code: result.status ?? 1, output, clone };
  }
  return { code: 0, output, clone };
}

/** The recorded gh calls, in order: their arguments, the token they saw, and the body they were given. */
async function ghCalls(): Promise<Array<{ args: string[]; token: string; body: string | undefined }>> {
  const log = path.join(work.path, "log");
  const names = (await readdir(log)).filter((name) => /^gh-\d+\.args$/.test(name));
  names.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  return Promise.all(
    names.map(async (name) => {
      const n = /\d+/.exec(name)![0];
      const body = path.join(log, `body-${n}.md`);
      return {
        args: (await readFile(path.join(log, name), "utf8")).trimEnd().split("\n"),
        token: await readFile(path.join(log, `gh-${n}.token`), "utf8"),
        body: existsSync(body) ? await readFile(body, "utf8") : undefined,
      };
    }),
  );
}

async function clearLog(): Promise<void> {
  await rm(path.join(work.path, "log"), { recursive: true, force: true });
  await mkdir(path.join(work.path, "log"));
}

/** A scratch folder with a git identity of its own, the gh and npx stubs, and an empty log. */
async function setUp(prefix: string): Promise<void> {
  work = await tempDir(prefix);
  const config = path.join(work.path, "gitconfig");
  await writeFile(config, "[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n");
  env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" };
  stubs = path.join(work.path, "bin");
  await mkdir(stubs);
  await writeFile(path.join(stubs, "gh"), GH_STUB);
  await writeFile(path.join(stubs, "npx"), NPX_STUB);
  await chmod(path.join(stubs, "gh"), 0o755);
  await chmod(path.join(stubs, "npx"), 0o755);
  await clearLog();
}

const remoteBranches = (remote: string) => git(work.path, "--git-dir", remote, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/");

describe("template-update.yml, run step by step against a local remote and a pack folder v1 -> v2", () => {
  let pack: string;
  let pkg: string;
  let remote: string;
  let branch: string;

  before(async () => {
    await setUp("cm-fleet-");

    pack = path.join(work.path, "team-pack");
    await writePack(pack, "Ask in #team-platform.", "4, 5", "# Changelog\n\n## 1.0.0\n\n- First release.\n");
    // A team pack: the workflow is on without being asked for.
    const made = await runCli(["my-logger", "--yes", "--no-install", "--template", "./team-pack"], { cwd: work.path, env, timeoutMs: 60_000 });
    assert.equal(made.code, 0, made.stderr);
    pkg = path.join(work.path, "my-logger");
    const recorded = JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { answers: { updateWorkflow?: boolean } };
    assert.equal(recorded.answers.updateWorkflow, true);
    // The user's own edits: a line in the README the pack will also change (a conflict), and a comment at
    // the top of ci.yml (merged with the pack's matrix change).
    const readme = path.join(pkg, "README.md");
    await writeFile(readme, (await readFile(readme, "utf8")).replace("Ask in #team-platform.", "Ask Ann directly."));
    const ci = path.join(pkg, ".github", "workflows", "ci.yml");
    await writeFile(ci, `# Our CI; see the wiki.\n${await readFile(ci, "utf8")}`);
    git(pkg, "commit", "-qam", "Our own edits");
    remote = path.join(work.path, "remote.git");
    git(work.path, "init", "--quiet", "--bare", remote);
    git(pkg, "remote", "add", "origin", remote);
    git(pkg, "push", "--quiet", "origin", "main");
  });
  after(() => work.remove());

  it("with the pack unchanged: the job succeeds, says so, pushes nothing and calls no gh", async () => {
    await clearLog();
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    assert.match(job.output, /up to date with its templates; no pull request/);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(await ghCalls(), []);
    const npx = await readFile(path.join(work.path, "log", "npx.log"), "utf8");
    const version = (JSON.parse(await readFile(path.join(pkg, ".create-middleware.json"), "utf8")) as { createMiddleware: string }).createMiddleware;
    assert.equal(npx, `--yes create-middleware-package@${version} update --pull-request\n`, "the CLI version the answers file records");
  });

  it("pack v2: one branch with the bot's commit (conflict markers committed), the pristine ref shared, one pull request whose body lists conflicts first", async () => {
    await writePack(pack, "Ask in #platform-help (weekdays).", "5", "# Changelog\n\n## 2.0.0\n\n- Express 5 only.\n\n## 1.0.0\n\n- First release.\n");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    const heads = remoteBranches(remote).split("\n");
    const update = heads.find((line) => line.startsWith("refs/heads/create-middleware/update-"));
    assert.ok(update, heads.join("\n"));
    branch = update.split(" ")[0]!.slice("refs/heads/".length);
    assert.match(branch, /^create-middleware\/update-[0-9a-f]{12}$/, "named after the pack's new version");
    const show = (file: string) => git(work.path, "--git-dir", remote, "show", `${branch}:${file}`);
    assert.match(show("README.md"), /<<<<<<< yours\nAsk Ann directly\.\n=======\nAsk in #platform-help \(weekdays\)\.\n>>>>>>> template\n/);
    assert.match(
      show(".github/workflows/ci.yml"),
      /^# Our CI; see the wiki\.\n[\s\S]*express: \[5\]/,
      "merged: the user's comment and the pack's matrix",
    );
    const commit = git(work.path, "--git-dir", remote, "log", "-1", "--format=%an <%ae>%n%B", branch);
    assert.match(
      commit,
      /^github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\nUpdate templates to [0-9a-f]{12}\n\nCreate-Middleware-Update: [0-9a-f]{12}/,
    );
    assert.equal(
      git(work.path, "--git-dir", remote, "rev-parse", `${branch}^`),
      git(work.path, "--git-dir", remote, "rev-parse", "main"),
      "one commit on top of main",
    );
    assert.ok(git(work.path, "--git-dir", remote, "rev-parse", "refs/create-middleware/base"), "the pristine renders were pushed");

    const calls = await ghCalls();
    assert.deepEqual(
      calls.map((call) => call.args.slice(0, 2).join(" ")),
      ["pr list", "pr create"],
    );
    assert.ok(
      calls.every((call) => call.token === "test-token"),
      "gh runs with the job's GITHUB_TOKEN",
    );
    const create = calls[1]!;
    assert.deepEqual(create.args.slice(2, 6), ["--base", "main", "--head", branch]);
    assert.equal(calls[0]!.args.at(-1), ".[0].number // empty", "no open pull request prints nothing, not null");
    assert.match(create.args[create.args.indexOf("--title") + 1]!, /^Update templates to [0-9a-f]{12} \(1 to resolve\)$/);
    const body = create.body ?? "";
    const at = (text: string) => body.indexOf(text);
    assert.ok(at("Conflicts to resolve") > 0 && at("Conflicts to resolve") < at("Merged with your changes"), body);
    assert.match(body, /Conflicts to resolve before merging \(1\)[\s\S]*- `README\.md`/);
    assert.match(body, /Merged with your changes\n\n- `\.github\/workflows\/ci\.yml`/);
    assert.match(body, /The pack's changelog[\s\S]*Express 5 only\./);
    // A folder pack's version is a hash no heading names: the whole changelog (an npm pack's is cut: unit test).
    assert.match(body, /Since [0-9a-f]{64}[\s\S]*## 2\.0\.0[\s\S]*## 1\.0\.0/);
    assert.match(body, /^\+Ask in #platform-help \(weekdays\)\.$/m, "the diff of what the update changed");
  });

  it("a rerun with nothing new pushes nothing and refreshes the same pull request", async () => {
    await clearLog();
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    assert.match(job.output, /already holds this update; nothing pushed/);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(
      (await ghCalls()).map((call) => call.args.slice(0, call.args[1] === "list" ? 4 : 3).join(" ")),
      [`pr list --head ${branch}`, "pr edit 7"],
    );
  });

  it("after main moves on: the bot's own branch is rebuilt on it (force-with-lease on the tip it read)", async () => {
    await writeFile(path.join(pkg, "NOTES.md"), "A note of ours.\n");
    git(pkg, "add", "NOTES.md");
    git(pkg, "commit", "-qm", "A note");
    git(pkg, "push", "--quiet", "origin", "main");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    assert.equal(git(work.path, "--git-dir", remote, "rev-parse", `${branch}^`), git(work.path, "--git-dir", remote, "rev-parse", "main"));
    assert.deepEqual(
      (await ghCalls()).map((call) => call.args.slice(0, 2).join(" ")),
      ["pr list", "pr edit"],
    );
  });

  it("a branch someone else pushed to: the job fails naming their commit, and the branch keeps it", async () => {
    const human = path.join(work.path, "human");
    git(work.path, "clone", "--quiet", "--branch", branch, remote, human);
    await writeFile(
      path.join(human, "README.md"),
      (await readFile(path.join(human, "README.md"), "utf8")).replace(/<<<<<<< yours\n(.*\n)=======\n.*\n>>>>>>> template\n/, "$1"),
    );
    git(human, "commit", "-qam", "Resolve the README conflict");
    git(human, "push", "--quiet", "origin", branch);
    const tip = git(human, "rev-parse", "HEAD");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 1, job.output);
    assert.match(
      job.output,
      new RegExp(
        `The branch ${branch} on origin has commits this workflow did not write: ${tip.slice(0, 12)} Resolve the README conflict \\(test@example\\.com\\)`,
      ),
    );
    assert.match(job.output, /Refusing to replace them/);
    assert.equal(git(work.path, "--git-dir", remote, "rev-parse", branch), tip, "not force-pushed over");
    assert.deepEqual(await ghCalls(), []);
    git(work.path, "--git-dir", remote, "branch", "-D", branch); // the team merged or closed it
  });

  it("a step that leaves the work tree dirty: the job fails naming the files, and pushes nothing", async () => {
    await clearLog();
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote, {
      beforeStep: async (name, clone) => {
        if (name.startsWith("Update on a branch")) await writeFile(path.join(clone, "package-lock.json"), "{}\n");
      },
    });
    assert.equal(job.code, 1, job.output);
    assert.match(job.output, /uncommitted changes before the update \(package-lock\.json\)/);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(await ghCalls(), []);
  });

  it("a pack that cannot be fetched: the job fails naming the pack, and pushes nothing", async () => {
    await rename(pack, `${pack}-gone`);
    try {
      await clearLog();
      const before = remoteBranches(remote);
      const job = await runWorkflow(remote);
      assert.equal(job.code, 2, job.output); // a pack source that resolves to nothing: a usage error
      assert.match(job.output, /error: Template pack "\.\.\/team-pack" was not found/);
      assert.equal(remoteBranches(remote), before);
      assert.deepEqual(await ghCalls(), []);
    } finally {
      await rename(`${pack}-gone`, pack);
    }
  });

  it("a pack that needs a newer create-middleware: the recorded CLI hands over to that version (once)", async () => {
    await writeFile(
      path.join(pack, "pack.json"),
      `${JSON.stringify({ name: "team-pack", version: "3.0.0", engines: { "create-middleware": ">=99.0.0" } })}\n`,
    );
    try {
      await clearLog();
      const job = await runWorkflow(remote);
      // The stub npx runs this same CLI again, which still cannot use the pack: the hand-over fails, once.
      assert.equal(job.code, 1, job.output);
      const npx = (await readFile(path.join(work.path, "log", "npx.log"), "utf8")).trimEnd().split("\n");
      assert.equal(npx.length, 2, npx.join("\n"));
      assert.equal(npx[1], "--yes create-middleware-package@99.0.0 update --pull-request");
      assert.match(
        job.output,
        /The pack needs create-middleware 99\.0\.0 or later; running npx --yes create-middleware-package@99\.0\.0 update --pull-request/,
      );
    } finally {
      await rm(path.join(pack, "pack.json"));
    }
  });
});

describe("the monorepo's template-update.yml, run step by step: two members from a git pack v1 -> v2, one pull request", () => {
  let mono: string;
  let remote: string;
  let packRepo: string;
  let branch: string;
  const readme = (folder: string) => path.join(mono, folder, "README.md");

  before(async () => {
    await setUp("cm-fleet-mono-");
    // The pack is a git repository (a member's base is a fresh render of the recorded commit, which a folder pack that changed no longer has).
    packRepo = path.join(work.path, "team-pack");
    await writePack(packRepo, "Ask in #team-platform.", "4, 5", "# Changelog\n\n## 1.0.0\n\n- First release.\n");
    git(packRepo, "init", "--quiet");
    git(packRepo, "add", ".");
    git(packRepo, "commit", "-qm", "v1");
    const bare = path.join(work.path, "team-pack.git");
    git(work.path, "clone", "--quiet", "--bare", packRepo, bare);
    git(packRepo, "remote", "add", "origin", bare);
    const source = `git+file://${bare}`;

    mono = path.join(work.path, "mono");
    await mkdir(mono);
    await writeFile(path.join(mono, "package.json"), `${JSON.stringify({ name: "mono", private: true, workspaces: ["packages/*"] }, null, 2)}\n`);
    git(mono, "init", "--quiet");
    git(mono, "add", ".");
    git(mono, "commit", "-qm", "The monorepo");
    const make = async (name: string, ...flags: string[]) => {
      const made = await runCli([`packages/${name}`, "--yes", "--no-install", ...flags], { cwd: mono, env, timeoutMs: 60_000 });
      assert.equal(made.code, 0, made.stderr);
      return made.stdout;
    };
    const first = await make("a-logger", "--template", source);
    assert.match(first, /created \.github\/workflows\/template-update\.yml/, "the first member that wants it writes the root's workflow");
    // The team's own edit to it, committed: the next member keeps it (one workflow, not a second).
    const workflow = path.join(mono, ".github", "workflows", "template-update.yml");
    await writeFile(workflow, `# Ours now.\n${await readFile(workflow, "utf8")}`);
    git(mono, "add", ".");
    git(mono, "commit", "-qm", "a-logger");
    const second = await make("b-logger", "--template", source);
    assert.doesNotMatch(second, /template-update\.yml/);
    assert.match(await readFile(workflow, "utf8"), /^# Ours now\.\n/);
    assert.deepEqual(
      (await readdir(path.join(mono, ".github", "workflows"))).filter((file) => file.includes("update")),
      ["template-update.yml"],
    );
    assert.equal(existsSync(path.join(mono, "packages", "a-logger", ".github")), false, "a member has no .github of its own");
    // A member from built-in templates: current, left alone.
    await make("c-plain", "--no-update-workflow");
    // The user's edit to a line the pack will also change: a conflict in a-logger only.
    await writeFile(
      readme("packages/a-logger"),
      (await readFile(readme("packages/a-logger"), "utf8")).replace("Ask in #team-platform.", "Ask Ann directly."),
    );
    git(mono, "add", ".");
    git(mono, "commit", "-qm", "b-logger, c-plain, our edits");
    remote = path.join(work.path, "remote.git");
    git(work.path, "init", "--quiet", "--bare", remote);
    git(mono, "remote", "add", "origin", remote);
    git(mono, "push", "--quiet", "origin", "main");
  });
  after(() => work.remove());

  it("with the pack unchanged: the job succeeds, pushes nothing and calls no gh; it runs the version the members record, with --all", async () => {
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    assert.match(job.output, /Every package create-middleware made is up to date; no pull request\./);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(await ghCalls(), []);
    const version = (
      JSON.parse(await readFile(path.join(mono, "packages", "a-logger", ".create-middleware.json"), "utf8")) as { createMiddleware: string }
    ).createMiddleware;
    assert.equal(
      await readFile(path.join(work.path, "log", "npx.log"), "utf8"),
      `--yes create-middleware-package@${version} update --pull-request --all\n`,
    );
  });

  it("pack v2: one branch and one commit updating both members, one pull request with every conflict first and a section per package", async () => {
    await writePack(
      packRepo,
      "Ask in #platform-help (weekdays).",
      "5",
      "# Changelog\n\n## 2.0.0\n\n- Express 5 only.\n\n## 1.0.0\n\n- First release.\n",
    );
    git(packRepo, "add", ".");
    git(packRepo, "commit", "-qm", "v2");
    git(packRepo, "push", "--quiet", "origin", "HEAD");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    const updates = remoteBranches(remote)
      .split("\n")
      .filter((line) => line.startsWith("refs/heads/create-middleware/"));
    assert.equal(updates.length, 1, updates.join("\n"));
    branch = updates[0]!.split(" ")[0]!.slice("refs/heads/".length);
    assert.match(branch, /^create-middleware\/update-[0-9a-f]{12}$/, "named after the pack's new commit");
    const show = (file: string) => git(work.path, "--git-dir", remote, "show", `${branch}:${file}`);
    assert.match(
      show("packages/a-logger/README.md"),
      /<<<<<<< yours\nAsk Ann directly\.\n=======\nAsk in #platform-help \(weekdays\)\.\n>>>>>>> template\n/,
    );
    assert.match(show("packages/b-logger/README.md"), /^Ask in #platform-help \(weekdays\)\.$/m);
    assert.equal(
      git(work.path, "--git-dir", remote, "rev-parse", `${branch}^`),
      git(work.path, "--git-dir", remote, "rev-parse", "main"),
      "one commit on top of main",
    );
    const changed = git(work.path, "--git-dir", remote, "diff", "--name-only", "main", branch).split("\n");
    assert.deepEqual(
      [...new Set(changed.map((file) => file.split("/").slice(0, 2).join("/")))].sort(),
      ["packages/a-logger", "packages/b-logger"],
      "both members, nothing of c-plain's or the root's",
    );
    assert.match(
      git(work.path, "--git-dir", remote, "log", "-1", "--format=%ae%n%B", branch),
      /^41898282\+github-actions\[bot\]@users\.noreply\.github\.com\nUpdate templates to [0-9a-f]{12}\n\nCreate-Middleware-Update: [0-9a-f]{12}/,
    );
    const calls = await ghCalls();
    assert.deepEqual(
      calls.map((call) => call.args.slice(0, 2).join(" ")),
      ["pr list", "pr create"],
      "one pull request for the pack version",
    );
    const create = calls[1]!;
    assert.deepEqual(create.args.slice(2, 6), ["--base", "main", "--head", branch]);
    assert.match(create.args[create.args.indexOf("--title") + 1]!, /^Update templates to [0-9a-f]{12} in 2 packages \(1 to resolve\)$/);
    const body = create.body ?? "";
    const at = (text: string) => body.indexOf(text);
    assert.match(body, /Conflicts to resolve before merging \(1\)\n[\s\S]*?- `packages\/a-logger\/README\.md`/);
    assert.ok(at("Conflicts to resolve") < at("## a-logger (`packages/a-logger`)"), body);
    assert.ok(at("## a-logger (`packages/a-logger`)") < at("## b-logger (`packages/b-logger`)"), body);
    assert.equal(body.split("Express 5 only.").length, 2, "the changelog once");
    assert.match(body, /^\+\+\+ b\/packages\/b-logger\/README\.md$/m, "each package's diff, paths from the root");
    assert.doesNotMatch(body, /c-plain/);
    assert.match(job.output, /packages\/c-plain is up to date/);
    // The members' new pristine renders, kept under their folders, were shared for the next run's bases.
    const base = git(work.path, "--git-dir", remote, "ls-tree", "-r", "--name-only", "refs/create-middleware/base");
    assert.match(base, /^packages\/a-logger\/README\.md$/m);
    assert.match(base, /^packages\/b-logger\/README\.md$/m);
  });

  it("a rerun with nothing new pushes nothing and refreshes the same pull request", async () => {
    await clearLog();
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote);
    assert.equal(job.code, 0, job.output);
    assert.match(job.output, /already holds this update; nothing pushed/);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(
      (await ghCalls()).map((call) => call.args.slice(0, call.args[1] === "list" ? 4 : 3).join(" ")),
      [`pr list --head ${branch}`, "pr edit 7"],
    );
  });

  it("a branch someone else pushed to: the job fails naming their commit, and the branch keeps it", async () => {
    const human = path.join(work.path, "human");
    git(work.path, "clone", "--quiet", "--branch", branch, remote, human);
    await writeFile(path.join(human, "NOTES.md"), "Resolved by hand.\n");
    git(human, "add", "NOTES.md");
    git(human, "commit", "-qm", "Our note on the update");
    git(human, "push", "--quiet", "origin", branch);
    const tip = git(human, "rev-parse", "HEAD");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 1, job.output);
    assert.match(
      job.output,
      new RegExp(`has commits this workflow did not write: ${tip.slice(0, 12)} Our note on the update \\(test@example\\.com\\)`),
    );
    assert.match(job.output, /Not every package could be updated[\s\S]*packages\/a-logger, packages\/b-logger/);
    assert.equal(git(work.path, "--git-dir", remote, "rev-parse", branch), tip, "not force-pushed over");
    assert.deepEqual(await ghCalls(), []);
    git(work.path, "--git-dir", remote, "branch", "-D", branch); // the team merged or closed it
  });

  it("a step that leaves the work tree dirty: the job fails naming the file, and pushes nothing", async () => {
    await clearLog();
    const before = remoteBranches(remote);
    const job = await runWorkflow(remote, {
      beforeStep: async (name, clone) => {
        if (name.startsWith("Update the packages")) await writeFile(path.join(clone, "package-lock.json"), "{}\n");
      },
    });
    assert.equal(job.code, 1, job.output);
    assert.match(job.output, /uncommitted changes before the update \(package-lock\.json\)/);
    assert.equal(remoteBranches(remote), before);
    assert.deepEqual(await ghCalls(), []);
  });

  it("a member whose pack cannot be fetched, and one without a base: the others still get their pull request, and the job fails naming both", async () => {
    // c-plain now records a folder pack that is gone (as a pack moved away would be).
    const answers = (folder: string) => path.join(mono, "packages", folder, ".create-middleware.json");
    const plain = JSON.parse(await readFile(answers("c-plain"), "utf8")) as { template: unknown };
    plain.template = { source: "../../../moved-pack", resolved: "0".repeat(64) };
    await writeFile(answers("c-plain"), `${JSON.stringify(plain, null, 2)}\n`);
    // b-logger records a create-middleware version this one cannot re-render as its base.
    const older = JSON.parse(await readFile(answers("b-logger"), "utf8")) as { createMiddleware: string };
    older.createMiddleware = "0.0.1";
    await writeFile(answers("b-logger"), `${JSON.stringify(older, null, 2)}\n`);
    git(mono, "commit", "-qam", "c-plain from a pack that moved, b-logger from an older create-middleware");
    git(mono, "push", "--quiet", "origin", "main");
    await clearLog();
    const job = await runWorkflow(remote);
    assert.equal(job.code, 1, job.output);
    assert.match(
      job.output,
      /Not every package could be updated[\s\S]*packages\/c-plain: Template pack "\.\.\/\.\.\/\.\.\/moved-pack" was not found/,
    );
    assert.match(job.output, /Not every package could be updated[\s\S]*packages\/b-logger: Cannot find the base for this update/);
    const tip = remoteBranches(remote)
      .split("\n")
      .find((line) => line.startsWith(`refs/heads/${branch} `));
    assert.ok(tip, "a-logger's branch was pushed");
    const changed = git(work.path, "--git-dir", remote, "diff", "--name-only", "main", branch).split("\n");
    assert.ok(changed.length > 0 && changed.every((file) => file.startsWith("packages/a-logger/")), changed.join("\n"));
    const calls = await ghCalls();
    assert.deepEqual(
      calls.map((call) => call.args.slice(0, 2).join(" ")),
      ["pr list", "pr edit"],
    );
    assert.match(calls[1]!.args[calls[1]!.args.indexOf("--title") + 1]!, /^Update templates to [0-9a-f]{12} in 1 package \(1 to resolve\)$/);
  });

  it("a pack release that needs a newer create-middleware: the run hands over to that version with --all (once)", async () => {
    await writeFile(
      path.join(packRepo, "pack.json"),
      `${JSON.stringify({ name: "team-pack", version: "3.0.0", engines: { "create-middleware": ">=99.0.0" } })}\n`,
    );
    git(packRepo, "add", "pack.json");
    git(packRepo, "commit", "-qm", "v3 needs a newer create-middleware");
    git(packRepo, "push", "--quiet", "origin", "HEAD");
    await clearLog();
    const job = await runWorkflow(remote);
    // The stand-in npx runs this same CLI again, which still cannot use the pack: the hand-over fails, once.
    assert.equal(job.code, 1, job.output);
    const npx = (await readFile(path.join(work.path, "log", "npx.log"), "utf8")).trimEnd().split("\n");
    assert.deepEqual(npx.slice(1), ["--yes create-middleware-package@99.0.0 update --pull-request --all"]);
    assert.deepEqual(await ghCalls(), [], "nothing opened before the hand-over");
  });
});

describe("update --update-workflow in a monorepo's member", () => {
  it("creates the root's one workflow when the root has none (a dry run only says so), and keeps the root's own when it has one", async () => {
    const dir = await tempDir("cm-fleet-member-");
    try {
      const mono = dir.path;
      await writeFile(path.join(mono, "package.json"), `${JSON.stringify({ name: "mono", private: true, workspaces: ["packages/*"] })}\n`);
      for (const name of ["x-logger", "y-logger"]) {
        const made = await runCli([`packages/${name}`, "--yes", "--no-install", "--no-git"], { cwd: mono });
        assert.equal(made.code, 0, made.stderr);
      }
      const workflow = path.join(mono, ".github", "workflows", "template-update.yml");
      assert.equal(existsSync(workflow), false, "no member asked for it");
      const dry = await runCli(["update", "packages/x-logger", "--update-workflow", "--dry-run"], { cwd: mono });
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /At the monorepo's root \(.*\) it would create \.github\/workflows\/template-update\.yml/);
      assert.equal(existsSync(workflow), false, "a dry run writes nothing");

      const updated = await runCli(["update", "packages/x-logger", "--update-workflow", "--no-install", "--json"], { cwd: mono });
      assert.equal(updated.code, 0, updated.stderr);
      assert.deepEqual((JSON.parse(updated.stdout) as { rootFiles?: string[] }).rootFiles, [".github/workflows/template-update.yml"]);
      assert.match(await readFile(workflow, "utf8"), /update --pull-request --all\n$/);
      const recorded = JSON.parse(await readFile(path.join(mono, "packages", "x-logger", ".create-middleware.json"), "utf8")) as {
        answers: { updateWorkflow?: boolean };
      };
      assert.equal(recorded.answers.updateWorkflow, true);
      assert.equal(existsSync(path.join(mono, "packages", "x-logger", ".github")), false, "none in the member");

      await writeFile(workflow, "# The team's own.\n");
      const second = await runCli(["update", "packages/y-logger", "--update-workflow", "--no-install"], { cwd: mono });
      assert.equal(second.code, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /At the monorepo's root/);
      assert.equal(await readFile(workflow, "utf8"), "# The team's own.\n", "kept as it is");
    } finally {
      await dir.remove();
    }
  });
});

describe("update --pull-request --all on the command line", () => {
  it("outside a monorepo's root: exit 2 naming the problem; --all without --pull-request: exit 2", async () => {
    const dir = await tempDir("cm-fleet-all-");
    try {
      const outside = await runCli(["update", "--pull-request", "--all"], { cwd: dir.path });
      assert.equal(outside.code, 2, outside.stderr);
      assert.match(
        outside.stderr,
        /is not a monorepo's root \(no "workspaces" in package\.json, no pnpm-workspace\.yaml\): --all updates the packages of one/,
      );
      const alone = await runCli(["update", "--all"], { cwd: dir.path });
      assert.equal(alone.code, 2, alone.stderr);
      assert.match(alone.stderr, /--all goes with --pull-request/);
    } finally {
      await dir.remove();
    }
  });
});

describe("the team config's updateWorkflow", () => {
  it("false: a package from a team pack gets no workflow (a flag still adds it); true: one without a pack gets it", async () => {
    const dir = await tempDir("cm-fleet-config-");
    try {
      const pack = path.join(dir.path, "team-pack");
      await writePack(pack, "Ask in #team-platform.", "5", "# Changelog\n");
      const config = path.join(dir.path, "create-middleware.config.json");
      const make = async (name: string, ...flags: string[]) => {
        const made = await runCli([name, "--yes", "--no-install", "--no-git", ...flags], { cwd: dir.path });
        assert.equal(made.code, 0, made.stderr);
        return existsSync(path.join(dir.path, name, ".github", "workflows", "template-update.yml"));
      };
      await writeFile(config, `${JSON.stringify({ updateWorkflow: false })}\n`);
      assert.equal(await make("off", "--template", "./team-pack"), false);
      assert.equal(await make("flagged", "--template", "./team-pack", "--update-workflow"), true);
      await writeFile(config, `${JSON.stringify({ updateWorkflow: true })}\n`);
      assert.equal(await make("on"), true);
      await writeFile(config, `${JSON.stringify({ updateWorkflow: "yes" })}\n`);
      const refused = await runCli(["bad", "--yes", "--no-install", "--no-git"], { cwd: dir.path });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /create-middleware\.config\.json: "updateWorkflow" must be true or false\./);
      assert.equal(existsSync(path.join(dir.path, "bad")), false, "nothing written");
    } finally {
      await dir.remove();
    }
  });
});

describe("update --pull-request on the command line", () => {
  it("takes no answer changes and no --dry-run/--force: exit 2 naming them, before anything is read", async () => {
    const result = await runCli(["update", "--pull-request", "--dry-run", "--schema", "zod"], { cwd: path.dirname(BIN) });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--pull-request updates with the recorded answers on a clean checkout; it does not take --dry-run, --schema\./);
  });
});

describe("the GitLab CI job in docs/update.md, run as a runner would", () => {
  it("pack v1 -> v2: a branch with the update and a merge request asked for with push options; an existing branch is never overwritten", async () => {
    const dir = await tempDir("cm-fleet-gitlab-");
    try {
      const remote = path.join(dir.path, "remote.git");
      const url = "https://oauth2:glpat-test@gitlab.test/acme/my-logger.git";
      const config = path.join(dir.path, "gitconfig");
      // The job pushes to GitLab over https; here that URL is the local bare remote.
      await writeFile(
        config,
        `[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[url "${remote}"]\n\tinsteadOf = ${url}\n`,
      );
      const localEnv = { ...process.env, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1", GIT_DIR: undefined, GIT_WORK_TREE: undefined };
      const run = (cwd: string, ...args: string[]) => {
        const result = spawnSync("git", args, { cwd, encoding: "utf8", env: localEnv });
        assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
        return result.stdout.trim();
      };
      const pack = path.join(dir.path, "team-pack");
      await writePack(pack, "Ask in #team-platform.", "4, 5", "# Changelog\n");
      const made = await runCli(["my-logger", "--yes", "--no-install", "--template", "./team-pack"], {
        cwd: dir.path,
        env: { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: "1" },
        timeoutMs: 60_000,
      });
      assert.equal(made.code, 0, made.stderr);
      run(dir.path, "init", "--quiet", "--bare", remote);
      run(remote, "config", "receive.advertisePushOptions", "true");
      // GitLab reads the push options; the remote's hook records them.
      await writeFile(
        path.join(remote, "hooks", "pre-receive"),
        `#!/bin/sh\ni=0\nwhile [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do eval "printf '%s\\\\n' \\"\\$GIT_PUSH_OPTION_$i\\"" >> "${path.join(dir.path, "push-options")}"; i=$((i+1)); done\n`,
      );
      await chmod(path.join(remote, "hooks", "pre-receive"), 0o755);
      const pkg = path.join(dir.path, "my-logger");
      run(pkg, "remote", "add", "origin", remote);
      run(pkg, "push", "--quiet", "origin", "main");
      await writePack(pack, "Ask in #platform-help (weekdays).", "5", "# Changelog\n");

      const docs = await readFile(path.join(path.dirname(BIN), "..", "docs", "update.md"), "utf8");
      const block = /### The same job in GitLab CI[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs);
      assert.ok(block, "docs/update.md has the GitLab job");
      const job = (parse(block[1]!) as { "template-update": { script: string[] } })["template-update"];
      const bin = path.join(dir.path, "bin");
      await mkdir(bin);
      await writeFile(path.join(bin, "npx"), NPX_STUB);
      await chmod(path.join(bin, "npx"), 0o755);
      await mkdir(path.join(dir.path, "log"));
      // The job's reports go to a temporary folder of its own (mktemp), under this TMPDIR, removed at its end.
      const tmp = path.join(dir.path, "tmp");
      await mkdir(tmp);
      const runJob = () => {
        const clone = path.join(dir.path, `clone-${Math.random().toString(36).slice(2)}`);
        run(dir.path, "clone", "--quiet", remote, clone);
        return spawnSync("bash", ["--noprofile", "--norc", "-c", job.script.join("\n")], {
          cwd: clone,
          encoding: "utf8",
          timeout: 300_000, // a loaded machine: the job renders twice and pushes
          env: {
            ...localEnv,
            PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
            STUB_LOG: path.join(dir.path, "log"),
            CI_SERVER_HOST: "gitlab.test",
            CI_PROJECT_PATH: "acme/my-logger",
            CI_DEFAULT_BRANCH: "main",
            TEMPLATE_UPDATE_TOKEN: "glpat-test",
            TMPDIR: tmp,
            npm_config_user_agent: undefined,
          },
        });
      };
      assert.doesNotMatch(job.script.join("\n"), /\/tmp\//, "no fixed path in /tmp another job could read or plant");
      const first = runJob();
      assert.equal(first.status, 0, `${first.stdout}${first.stderr}`);
      assert.deepEqual(await readdir(tmp), [], "the reports' folder is gone");
      const branch = run(remote, "for-each-ref", "--format=%(refname:short)", "refs/heads/create-middleware/");
      assert.match(branch, /^create-middleware\/update-[0-9a-f]{12}$/);
      assert.match(run(remote, "show", `${branch}:README.md`), /Ask in #platform-help \(weekdays\)\./);
      const options = await readFile(path.join(dir.path, "push-options"), "utf8");
      assert.match(options, /^merge_request\.create$/m);
      assert.match(options, /^merge_request\.target=main$/m);
      assert.match(options, /^merge_request\.title=Update templates to [0-9a-f]{12}$/m);
      assert.match(options, /^merge_request\.description=create-middleware update; conflicts: none$/m);
      // The branch exists now: the next run's commit does not fast-forward it, and a plain push never forces.
      const tip = run(remote, "rev-parse", branch);
      const again = runJob();
      assert.notEqual((again.error as NodeJS.ErrnoException | undefined)?.code, "ETIMEDOUT", "not timed out");
      assert.notEqual(again.status, 0, "the job fails");
      // git may die of SIGPIPE when the remote hangs up on a rejected push (bash runs the last command in
      // its own place): a failed job all the same. Otherwise git says why.
      if (again.signal !== "SIGPIPE") assert.match(again.stderr, /rejected/);
      assert.equal(run(remote, "rev-parse", branch), tip, "the branch is as it was");
    } finally {
      await dir.remove();
    }
  });
});
