/**
 * The git step: a new repository with one commit of the generated files. It never touches an enclosing
 * repository, never fails the run (problems become a warning), and spawns through run-command.ts.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { lastLines } from "./clean-output.js";
import { runCommand, type RunResult, type Runner } from "./run-command.js";

export const INITIAL_COMMIT_MESSAGE = "Initial commit from create-middleware";

/** The branch the new repository starts on: the one the generated CI workflow runs on for pushes. */
const DEFAULT_BRANCH = "main";

/** Whether `git --version` output names git 2.28 or later, which has `git init --initial-branch`. */
export function supportsInitialBranch(versionOutput: string): boolean {
  const match = /(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 2 || (major === 2 && minor >= 28);
}

/**
 * The initial commit as the user makes it by hand (no identity, an interrupted run): with create's own
 * message, so `update` recognises it as the package's base when the pristine ref is missing (system/pristine.ts).
 */
export const INITIAL_COMMIT_COMMAND = `git add -A && git commit -m "${INITIAL_COMMIT_MESSAGE}"`;

/** Lockfiles a package manager may have written during the install; committed when present. */
export const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];

export interface GitReport {
  /** A new repository was created in the package directory. */
  initialized: boolean;
  /** The initial commit was made. */
  committed: boolean;
  /** Why something was skipped or failed; undefined when everything happened. */
  note: string | undefined;
  /** The note is a problem (git missing or failing), not an expected skip. */
  warning: boolean;
}

/**
 * Variables that would point git at another repository (set, for example, when we run inside a git hook).
 * Dropped so every command acts on the package directory alone. LC_ALL=C keeps git's messages parseable.
 */
export function gitEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  const drop = new Set([
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
  ]);
  for (const [key, value] of Object.entries(env)) if (!drop.has(key)) clean[key] = value;
  return { ...clean, LC_ALL: "C", LANGUAGE: "C" };
}

function lastLine(result: RunResult): string {
  return lastLines(result.output, 1)[0] ?? `exit code ${result.exitCode ?? "unknown"}`;
}

const report = (initialized: boolean, committed: boolean, note?: string, warning = false): GitReport => ({
  initialized,
  committed,
  note,
  warning,
});

export interface GitOptions {
  /** Paths of the generated files, relative to the directory: what the initial commit holds. */
  files: readonly string[];
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  run?: Runner;
  /**
   * Keeps the package's pristine render (refs/create-middleware/base), the base that `create-middleware
   * update` merges from; create.ts gives it (system/pristine.ts). Run after the initial commit, or instead
   * of it when there is no identity, with this repository's runner and environment.
   */
  keepPristine?: (run: Runner, env: NodeJS.ProcessEnv | undefined) => Promise<void>;
}

/** git init + an initial commit in `directory`, unless git is missing or the directory is already in a repository. */
export async function initGitRepository(directory: string, options: GitOptions): Promise<GitReport> {
  const env = gitEnvironment(options.env);
  const run = options.run ?? runCommand;
  const git = (...args: string[]) => run({ command: "git", args }, { cwd: directory, env, ...(options.signal ? { signal: options.signal } : {}) });

  const version = await git("--version");
  if (version.failure === "not-found") return report(false, false, "git was not found on PATH, so no repository was created.", true);
  if (!version.ok) return report(false, false, `git does not run (${lastLine(version)}), so no repository was created.`, true);

  // Inside an existing work tree (or a .git folder): leave that repository alone.
  const enclosing = await git("rev-parse", "--show-toplevel");
  if (enclosing.ok) {
    const top = enclosing.stdout.trim() || "an enclosing folder";
    return report(false, false, `the directory is inside the git repository at ${top}, so no new repository was created.`);
  }
  if (!/not a git repository/i.test(enclosing.output)) {
    return report(
      false,
      false,
      `could not tell whether the directory is inside a git repository (${lastLine(enclosing)}), so none was created.`,
      true,
    );
  }

  // The generated CI runs on pushes to `main`; stock git (no init.defaultBranch) would name the branch
  // `master`, and CI would then never run on push. --initial-branch exists from git 2.28; older gits get
  // HEAD pointed at main before the first commit, which is the same thing.
  const initialBranch = supportsInitialBranch(version.stdout);
  const init = await git("init", "--quiet", ...(initialBranch ? [`--initial-branch=${DEFAULT_BRANCH}`] : []));
  if (!init.ok) return report(false, false, `git init failed: ${lastLine(init)}`, true);
  if (!initialBranch) {
    const head = await git("symbolic-ref", "HEAD", `refs/heads/${DEFAULT_BRANCH}`);
    if (!head.ok)
      return report(true, false, `could not name the branch ${DEFAULT_BRANCH} (${lastLine(head)}), so the initial commit was skipped.`, true);
  }

  if (!(await hasIdentity(git, options.env ?? process.env))) {
    // The pristine render needs no identity (pristine.ts commits as create-middleware): keeping it now means
    // `update` finds its base whatever the user commits later, even after a CLI upgrade.
    await keepPristine(options, run);
    return report(
      true,
      false,
      `git user.name/user.email are not set, so the initial commit was skipped (set them with git config --global, then: ${INITIAL_COMMIT_COMMAND}).`,
    );
  }

  const candidates = [...new Set([...options.files, ...LOCKFILES.filter((file) => existsSync(path.join(directory, file)))])];
  // Explicitly named ignored paths make `git add` fail: leave out what the package's .gitignore ignores.
  const ignored = candidates.length > 0 ? await git("check-ignore", "--", ...candidates) : undefined;
  const skip = new Set(ignored?.ok ? ignored.stdout.split(/\r?\n/).map((file) => file.trim()) : []);
  const paths = candidates.filter((file) => !skip.has(file));
  if (paths.length === 0) return report(true, false, "there were no files to commit.");

  const add = await git("add", "--", ...paths);
  if (!add.ok) return report(true, false, `git add failed (${lastLine(add)}), so the initial commit was skipped.`, true);

  // The user's hooks and signing setup are theirs; they must not break (or hang on) this one commit.
  const commit = await git("-c", "commit.gpgsign=false", "commit", "--no-verify", "--quiet", "-m", INITIAL_COMMIT_MESSAGE);
  if (!commit.ok) return report(true, false, `git commit failed (${lastLine(commit)}); the files are staged.`, true);
  await keepPristine(options, run);
  return report(true, true);
}

/** Best effort: without it, `update` falls back to the initial commit or a re-render of the recorded version (docs/update.md). */
async function keepPristine(options: GitOptions, run: Runner): Promise<void> {
  await options.keepPristine?.(run, options.env).catch(() => undefined);
}

async function hasIdentity(git: (...args: string[]) => Promise<RunResult>, env: NodeJS.ProcessEnv): Promise<boolean> {
  const [name, email] = await Promise.all([git("config", "user.name"), git("config", "user.email")]);
  const hasName = (name.ok && name.stdout.trim() !== "") || Boolean(env.GIT_AUTHOR_NAME && env.GIT_COMMITTER_NAME);
  const hasEmail = (email.ok && email.stdout.trim() !== "") || Boolean(env.GIT_AUTHOR_EMAIL && env.GIT_COMMITTER_EMAIL) || Boolean(env.EMAIL);
  return hasName && hasEmail;
}
