/**
 * `create-middleware update --pull-request`: what .github/workflows/template-update.yml runs, as code
 * rather than shell in YAML (docs/update.md, "Pull requests from CI"). In a clean checkout of the
 * package's default branch: is an update there (outdated)? If so, update on the branch
 * `create-middleware/update-<version>`, commit (conflicts with their markers), push, and open or refresh
 * one pull request with `gh` (GITHUB_TOKEN only).
 *
 * It never overwrites anyone's work: a dirty work tree is refused; an existing branch is replaced only when
 * every commit it has beyond the default branch is one this command wrote (its trailer and author), and
 * then only with --force-with-lease on the tip it inspected.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { FailedError } from "../errors.js";
import { gitEnvironment } from "../system/git.js";
import { runCommand, type RunResult } from "../system/run-command.js";
import type { FileUpdate } from "./classify.js";
import { checkOutdated } from "./outdated.js";
import { BASE_REF } from "../system/pristine.js";
import { applyUpdate, planUpdate, type UpdatePlan } from "./update.js";
import { pullRequestBody, type BodyInput } from "./pull-request-body.js";
import { unifiedDiff } from "./diff.js";

/** The identity of the commits this command writes; with the trailer, how it recognises its own branch. */
const BOT_NAME = "github-actions[bot]";
const BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com";
const TRAILER = "Create-Middleware-Update";
export const BRANCH_PREFIX = "create-middleware/update-";

export interface PullRequestOptions {
  directory: string;
  remote?: string;
  /** Fetch nothing: a remote pack must be in the cache. */
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
  log: (message: string) => void;
}

export interface PullRequestResult {
  /** current: nothing to do; unchanged: the branch and its pull request already hold this update; opened / refreshed: the pull request. */
  outcome: "current" | "unchanged" | "opened" | "refreshed";
  branch: string | null;
  version: string | null;
  conflicts: string[];
  files: { path: string; status: string }[];
  pullRequest: string | null;
}

/** The version a branch is named after: the pack's (an npm version, a commit or hash shortened), else the CLI's. */
export function updateVersion(to: { createMiddleware: string; template: string | null }): string {
  const raw = to.template ?? to.createMiddleware;
  const short = /^[0-9a-f]{40,64}$/.test(raw) ? raw.slice(0, 12) : raw;
  return (
    short
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[.-]+|[.-]+$/g, "")
      .replace(/\.\.+/g, ".")
      // git refuses a ref ending in .lock, which a version may (semver allows 1.0.0-rc.lock).
      .replace(/\.lock$/, "-lock") || "templates"
  );
}

export async function git(args: string[], directory: string, env: NodeJS.ProcessEnv | undefined): Promise<RunResult> {
  return runCommand({ command: "git", args }, { cwd: directory, env: gitEnvironment(env) });
}

export async function gitOrFail(args: string[], directory: string, env: NodeJS.ProcessEnv | undefined, what: string): Promise<string> {
  const result = await git(args, directory, env);
  if (!result.ok) throw new FailedError(`${what} failed (git ${args.join(" ")}): ${result.output.trim() || result.failure}`);
  return result.stdout.trim();
}

async function gh(args: string[], directory: string, env: NodeJS.ProcessEnv | undefined, what: string): Promise<string> {
  const result = await runCommand({ command: "gh", args }, { cwd: directory, ...(env ? { env } : {}) });
  if (!result.ok) {
    const hint =
      result.failure === "not-found"
        ? " The GitHub CLI (gh) is not installed: GitHub's runners have it; elsewhere install it or use `update --json` (docs/update.md)."
        : "";
    throw new FailedError(`${what} failed (gh ${args[0]} ${args[1] ?? ""}): ${result.output.trim() || result.failure}.${hint}`);
  }
  return result.stdout.trim();
}

/** The commits the remote branch has beyond HEAD that this command did not write (hash, author, subject). */
async function foreignCommits(directory: string, tip: string, env: NodeJS.ProcessEnv | undefined): Promise<string[]> {
  const log = await gitOrFail(
    ["log", `--format=%H%x1f%ae%x1f%s%x1f%(trailers:key=${TRAILER},valueonly,separator=%x2C)%x1e`, `HEAD..${tip}`],
    directory,
    env,
    "Reading the update branch",
  );
  return log
    .split("\x1e")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => entry.split("\x1f"))
    .filter(([, email, , trailer]) => email !== BOT_EMAIL || (trailer ?? "").trim() === "")
    .map(([hash, email, subject]) => `${(hash ?? "").slice(0, 12)} ${subject ?? ""} (${email ?? ""})`);
}

/** The files the update changes, with their diffs; `prefix` (a monorepo member's folder) goes before every path. */
export async function describeFiles(plan: UpdatePlan, prefix = ""): Promise<BodyInput["files"]> {
  const changed = plan.files.filter((file: FileUpdate) => file.contents !== undefined && file.path !== ANSWERS_FILE);
  return Promise.all(
    changed.map(async (file) => ({
      path: `${prefix}${file.path}`,
      status: file.status,
      note: file.note ?? null,
      diff: await unifiedDiff(`${prefix}${file.path}`, file.current, file.contents),
    })),
  );
}

/**
 * Before anything: a git work tree, clean, on a branch (the default one, as actions/checkout leaves it).
 * Returns that branch, the base of every update branch.
 */
export async function checkCheckout(directory: string, env: NodeJS.ProcessEnv | undefined, what: string): Promise<string> {
  const top = await git(["rev-parse", "--show-toplevel"], directory, env);
  if (!top.ok) throw new FailedError(`${directory} is not in a git work tree: the update pull request needs ${what} checked out (actions/checkout).`);
  const status = await gitOrFail(["status", "--porcelain", "--untracked-files=all"], directory, env, "Checking the work tree");
  if (status !== "") {
    const files = status
      .split("\n")
      .map((line) => line.slice(3))
      .slice(0, 10);
    throw new FailedError(
      `The work tree has uncommitted changes before the update (${files.join(", ")}): a step before this one changed files. ` +
        "Run the update on a clean checkout (nothing between actions/checkout and this step may write into the package).",
    );
  }
  return gitOrFail(["symbolic-ref", "--short", "HEAD"], directory, env, "Finding the checked-out branch (a detached HEAD has none)");
}

/**
 * The update branch's tip on the remote (fetched), or undefined when there is none. A branch holding a
 * commit this command did not write is refused (FailedError naming it): never replaced.
 */
export async function readUpdateBranch(
  directory: string,
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv | undefined,
): Promise<string | undefined> {
  const remoteTip =
    (await gitOrFail(["ls-remote", "--heads", remote, `refs/heads/${branch}`], directory, env, `Looking for ${branch} on ${remote}`)).split(
      /\s/,
    )[0] || undefined;
  if (remoteTip) {
    await gitOrFail(["fetch", "--quiet", remote, `refs/heads/${branch}`], directory, env, `Fetching ${branch}`);
    const foreign = await foreignCommits(directory, remoteTip, env);
    if (foreign.length > 0) {
      throw new FailedError(
        `The branch ${branch} on ${remote} has commits this workflow did not write: ${foreign.join("; ")}. ` +
          "Refusing to replace them. Merge or close its pull request and delete the branch (or move those commits elsewhere), then run the workflow again.",
      );
    }
  }
  return remoteTip;
}

/** Stages everything and commits it as the bot, with the trailer that marks the branch as this command's. */
export async function commitUpdate(directory: string, env: NodeJS.ProcessEnv | undefined, subject: string, version: string): Promise<void> {
  await gitOrFail(["add", "--all", "."], directory, env, "Staging the update");
  await gitOrFail(
    [
      "-c",
      `user.name=${BOT_NAME}`,
      "-c",
      `user.email=${BOT_EMAIL}`,
      "commit",
      "--quiet",
      "--no-verify",
      "-m",
      subject,
      "-m",
      `${TRAILER}: ${version}`,
    ],
    directory,
    env,
    "Committing the update",
  );
}

/**
 * Pushes HEAD to the update branch with --force-with-lease on the tip read before (none: a new branch);
 * nothing when the branch already holds this commit's content on this parent (an earlier run whose pull
 * request step failed). Returns whether it was already there.
 */
export async function pushUpdateBranch(
  directory: string,
  remote: string,
  branch: string,
  remoteTip: string | undefined,
  env: NodeJS.ProcessEnv | undefined,
  log: (message: string) => void,
): Promise<boolean> {
  let upToDate = false;
  if (remoteTip) {
    const same = await git(["diff", "--quiet", remoteTip, "HEAD"], directory, env);
    const parent = await git(["rev-parse", `${remoteTip}^`], directory, env);
    upToDate = same.ok && parent.ok && parent.stdout.trim() === (await gitOrFail(["rev-parse", "HEAD^"], directory, env, "Reading the new commit"));
  }
  if (upToDate) {
    log(`${branch} on ${remote} already holds this update; nothing pushed.`);
    return true;
  }
  const pushed = await git(
    ["push", "--quiet", ...(remoteTip ? [`--force-with-lease=refs/heads/${branch}:${remoteTip}`] : []), remote, `HEAD:refs/heads/${branch}`],
    directory,
    env,
  );
  if (!pushed.ok) {
    throw new FailedError(
      `Pushing ${branch} to ${remote} was refused (${pushed.output.trim()}): someone pushed to it meanwhile, or the token may not write (the workflow needs permissions: contents: write). Nothing was overwritten; run the workflow again.`,
    );
  }
  return false;
}

/** Opens the pull request from `branch`, or refreshes the open one's title and body; its number or URL. */
export async function openOrRefreshPullRequest(
  directory: string,
  env: NodeJS.ProcessEnv | undefined,
  log: (message: string) => void,
  request: { branch: string; baseBranch: string; title: string; body: string },
): Promise<{ refreshed: boolean; pullRequest: string | null }> {
  const { branch, title } = request;
  const folder = mkdtempSync(path.join(os.tmpdir(), "create-middleware-pr-"));
  try {
    const bodyFile = path.join(folder, "body.md");
    writeFileSync(bodyFile, request.body);
    const existing = await gh(
      ["pr", "list", "--head", branch, "--state", "open", "--json", "number", "--jq", ".[0].number // empty"],
      directory,
      env,
      "Looking for the pull request",
    );
    if (existing !== "") {
      await gh(["pr", "edit", existing, "--title", title, "--body-file", bodyFile], directory, env, "Refreshing the pull request");
      log(`Refreshed pull request #${existing} from ${branch}.`);
      return { refreshed: true, pullRequest: existing };
    }
    const url = await gh(
      ["pr", "create", "--base", request.baseBranch, "--head", branch, "--title", title, "--body-file", bodyFile],
      directory,
      env,
      "Opening the pull request",
    );
    log(`Opened ${url || "the pull request"} from ${branch}.`);
    return { refreshed: false, pullRequest: url || null };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function openUpdatePullRequest(options: PullRequestOptions): Promise<PullRequestResult> {
  const { directory, env, log } = options;
  const remote = options.remote ?? "origin";

  const baseBranch = await checkCheckout(directory, env, "the package's repository");
  // The pristine renders (the update's base) live on a ref a clone does not fetch; a first update has none.
  await git(["fetch", "--quiet", remote, `+${BASE_REF}:${BASE_REF}`], directory, env);

  const report = await checkOutdated({ directory, offline: options.offline ?? false, ...(env ? { env } : {}) });
  if (!report.outdated) {
    log(`${report.packageName} is up to date with its templates; no pull request.`);
    return { outcome: "current", branch: null, version: null, conflicts: [], files: [], pullRequest: null };
  }
  const version = updateVersion(report.to);
  const branch = `${BRANCH_PREFIX}${version}`;
  const remoteTip = await readUpdateBranch(directory, remote, branch, env);

  const plan = await planUpdate({ directory, ...(env ? { env } : {}), offline: options.offline ?? false }, { requireClean: true });
  await gitOrFail(["checkout", "--quiet", "-B", branch], directory, env, `Creating the branch ${branch}`);
  const result = await applyUpdate(plan, env ? { env } : {});
  const subject = `Update templates to ${version}`;
  await commitUpdate(directory, env, subject, version);
  const files = await describeFiles(plan);
  const summary = {
    branch,
    version,
    conflicts: result.conflicts,
    files: files.map(({ path: file, status: state }) => ({ path: file, status: state })),
  };

  const upToDate = await pushUpdateBranch(directory, remote, branch, remoteTip, env, log);
  // Share the new pristine render, so the next run's base is this update (a fast-forward; a failure only costs a fresh render).
  if (result.pristine) {
    const shared = await git(["push", "--quiet", remote, `${BASE_REF}:${BASE_REF}`], directory, env);
    if (!shared.ok) log(`warning: could not push ${BASE_REF} (${shared.output.trim()}); the next update finds its base another way.`);
  }

  const body = pullRequestBody({
    packageName: plan.record.answers.packageName,
    from: plan.from,
    to: plan.to,
    files,
    conflicts: result.conflicts,
    changelog: plan.next.changelog?.toString("utf8"),
  });
  const title = `${subject}${result.conflicts.length > 0 ? ` (${result.conflicts.length} to resolve)` : ""}`;
  const opened = await openOrRefreshPullRequest(directory, env, log, { branch, baseBranch, title, body });
  return { outcome: opened.refreshed ? (upToDate ? "unchanged" : "refreshed") : "opened", ...summary, pullRequest: opened.pullRequest };
}
