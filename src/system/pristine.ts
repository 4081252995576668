/**
 * The pristine renders of a package, kept in the package's own git repository: the base that
 * `create-middleware update` merges from (docs/update.md, "Where the base comes from").
 *
 * Each pristine render is a commit whose tree holds exactly the rendered files (no lockfile, none of the
 * user's edits), on the ref `refs/create-middleware/base`; each update adds one on top of the last, so the
 * ref is a chain of every template version the package went through. It is not a branch: `git branch`,
 * `git log` and the user's history do not show it, and `git push` sends it only when asked.
 *
 * The base for an update is the newest commit on that chain whose `.create-middleware.json` says the same
 * as the package's (answers and versions): undoing an update (git checkout) therefore also goes back to the
 * right base, with nothing to keep in sync.
 *
 * A package inside a larger repository (a monorepo's member) keeps its renders in that repository, on the
 * same ref, under its folder (`packages/rl/...`): each member's renders replace only its own folder, so
 * one chain holds every member's, and each finds its base by the answers file in its folder.
 *
 * Git is driven through run-command.ts; contents go in through `git fast-import` on stdin and come out
 * through `git cat-file --batch` as raw bytes: nothing is written outside the repository, and the commits
 * carry a fixed committer, so no user identity or signing setup is needed.
 */
import { gitEnvironment, INITIAL_COMMIT_MESSAGE, LOCKFILES } from "./git.js";
import { runCommand, type RunResult, type Runner } from "./run-command.js";
import { ANSWERS_FILE } from "../answers/answers-file.js";

export const BASE_REF = "refs/create-middleware/base";

export interface GitContext {
  run?: Runner;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Where a package's renders live on BASE_REF: its folder relative to the top of the repository ("" at the top). */
export interface PristineContext extends GitContext {
  folder?: string;
}

/** `packages/rl/` for the folder `packages/rl`; "" at the top. */
const prefixOf = (context: PristineContext) => (context.folder ? `${context.folder.replace(/\/+$/, "")}/` : "");

function gitIn(directory: string, context: GitContext) {
  const run = context.run ?? runCommand;
  const env = gitEnvironment(context.env);
  return (args: string[], extra: { input?: string | Uint8Array; bytes?: boolean } = {}): Promise<RunResult> =>
    run({ command: "git", args }, { cwd: directory, env, ...extra, ...(context.signal ? { signal: context.signal } : {}) });
}

/** True when `directory` is the top of its own git work tree (not a folder inside another repository). */
export async function isRepositoryRoot(directory: string, context: GitContext = {}): Promise<boolean> {
  const top = await gitIn(directory, context)(["rev-parse", "--show-toplevel"]);
  if (!top.ok) return false;
  const { realpathSync } = await import("node:fs");
  try {
    return realpathSync(top.stdout.trim()) === realpathSync(directory);
  } catch {
    return false;
  }
}

/**
 * The package's folder relative to the top of the git work tree it is in ("" when it is the top, as
 * `create` makes it; "packages/rl" for a monorepo's member), or undefined when it is in none.
 */
export async function repositoryFolder(directory: string, context: GitContext = {}): Promise<string | undefined> {
  const prefix = await gitIn(directory, context)(["rev-parse", "--show-prefix"]);
  if (!prefix.ok) return undefined;
  return prefix.stdout.trim().replace(/\/+$/, "");
}

/** A path as fast-import reads it: C-style quoted when it holds a quote, backslash or line break. */
function importPath(file: string): string {
  return /["\\\n]/.test(file) || file.startsWith('"') ? JSON.stringify(file) : file;
}

/**
 * Stores `files` as a new pristine commit on BASE_REF (on top of the current one, if any) and returns its id.
 * With `context.folder`, the files go under that folder and the rest of the tip's tree (other members'
 * renders) is kept. Throws with git's message when git fails.
 */
export async function recordPristine(
  directory: string,
  files: readonly { path: string; contents: Buffer; executable?: boolean }[],
  message: string,
  context: PristineContext = {},
): Promise<string> {
  const git = gitIn(directory, context);
  const prefix = prefixOf(context);
  const tip = await git(["rev-parse", "--verify", "--quiet", `${BASE_REF}^{commit}`]);
  const parts: Buffer[] = [];
  const text = (value: string) => parts.push(Buffer.from(value, "utf8"));
  const body = Buffer.from(`${message}\n`, "utf8");
  text(`commit ${BASE_REF}\ncommitter create-middleware <create-middleware@users.noreply.invalid> now\ndata ${body.length}\n`);
  parts.push(body);
  text("\n");
  if (tip.ok && tip.stdout.trim() !== "") text(`from ${tip.stdout.trim()}\n`);
  text(prefix ? `D ${importPath(prefix.slice(0, -1))}\n` : "deleteall\n");
  for (const file of files) {
    text(`M ${file.executable ? "100755" : "100644"} inline ${importPath(prefix + file.path)}\ndata ${file.contents.length}\n`);
    parts.push(file.contents);
    text("\n");
  }
  text("done\n");
  const imported = await git(["fast-import", "--quiet", "--date-format=now", "--done"], { input: Buffer.concat(parts) });
  if (!imported.ok) throw new Error(`git fast-import failed: ${imported.output.trim().split("\n").pop() ?? ""}`);
  const head = await git(["rev-parse", "--verify", `${BASE_REF}^{commit}`]);
  if (!head.ok) throw new Error(`the pristine render was not recorded: ${head.output.trim()}`);
  return head.stdout.trim();
}

/** Objects by name through one `git cat-file --batch`: the bytes of each, or undefined when missing. */
async function catFiles(git: ReturnType<typeof gitIn>, names: readonly string[]): Promise<(Buffer | undefined)[]> {
  if (names.length === 0) return [];
  const result = await git(["cat-file", "--batch"], { input: `${names.join("\n")}\n`, bytes: true });
  if (!result.ok || !result.stdoutBytes) throw new Error(`git cat-file failed: ${result.output.trim()}`);
  const out = result.stdoutBytes;
  const objects: (Buffer | undefined)[] = [];
  let at = 0;
  for (let index = 0; index < names.length; index++) {
    const end = out.indexOf(10, at);
    if (end < 0) throw new Error("git cat-file gave a truncated answer");
    const header = out.subarray(at, end).toString("utf8");
    at = end + 1;
    const match = / (\w+) (\d+)$/.exec(header);
    if (!match || header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      objects.push(undefined);
      continue;
    }
    const size = Number(match[2]);
    objects.push(match[1] === "blob" ? Buffer.from(out.subarray(at, at + size)) : undefined);
    at += size + 1; // the contents, then a line feed
  }
  return objects;
}

/** What an answers file says, for telling whether two of them describe the same render. */
function answersKey(contents: Buffer | undefined): string | undefined {
  if (!contents) return undefined;
  try {
    const parsed = JSON.parse(contents.toString("utf8")) as Record<string, unknown>;
    delete parsed.update; // bookkeeping, not part of what was rendered
    return JSON.stringify(parsed);
  } catch {
    return undefined;
  }
}

export interface PristineBase {
  commit: string;
  files: Map<string, Buffer>;
  /** The files stored executable (mode 100755). */
  executable: Set<string>;
}

/**
 * The pristine render whose answers file matches `answersFile` (the package's), newest first along BASE_REF;
 * undefined when the repository holds none (no ref, or no render with these answers).
 */
export async function readPristine(directory: string, answersFile: Buffer, context: PristineContext = {}): Promise<PristineBase | undefined> {
  const git = gitIn(directory, context);
  const prefix = prefixOf(context);
  const wanted = answersKey(answersFile);
  if (wanted === undefined) return undefined;
  const chain = await git(["rev-list", "--first-parent", "--max-count=200", BASE_REF, "--"]);
  if (!chain.ok) return undefined;
  const commits = chain.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const answers = await catFiles(
    git,
    commits.map((commit) => `${commit}:${prefix}${ANSWERS_FILE}`),
  );
  const commit = commits.find((_, index) => answersKey(answers[index]) === wanted);
  if (!commit) return undefined;

  return { commit, ...(await treeFiles(git, prefix ? `${commit}:${prefix}` : commit)) };
}

/** Every blob of a commit's tree (or a folder's: `<commit>:packages/rl/`), path -> bytes, and which of them are executable. */
async function treeFiles(git: ReturnType<typeof gitIn>, commit: string): Promise<{ files: Map<string, Buffer>; executable: Set<string> }> {
  const tree = await git(["ls-tree", "-r", "-z", "--full-tree", commit]);
  if (!tree.ok) throw new Error(`git ls-tree failed: ${tree.output.trim()}`);
  const entries = tree.stdout
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode, type, object] = line.slice(0, tab).split(" ");
      return { mode, type, object: object ?? "", path: line.slice(tab + 1) };
    })
    .filter((entry) => entry.type === "blob");
  const contents = await catFiles(
    git,
    entries.map((entry) => entry.object),
  );
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  entries.forEach((entry, index) => {
    const bytes = contents[index];
    if (bytes) files.set(entry.path, bytes);
    if (bytes && entry.mode === "100755") executable.add(entry.path);
  });
  return { files, executable };
}

/**
 * In a clone without BASE_REF (it is not fetched by default), the package's first update can still find
 * its base: the initial commit `create` made holds exactly the rendered files plus a lockfile from the
 * install. Used only when that commit is create's (its message) and its answers file says the same as the
 * package's; the lockfiles are left out.
 */
export async function readInitialCommit(directory: string, answersFile: Buffer, context: GitContext = {}): Promise<PristineBase | undefined> {
  const git = gitIn(directory, context);
  const wanted = answersKey(answersFile);
  if (wanted === undefined) return undefined;
  const roots = await git(["rev-list", "--max-parents=0", "--format=%s", "HEAD", "--"]);
  if (!roots.ok) return undefined;
  // Lines alternate: "commit <id>", then the subject.
  const lines = roots.stdout.split("\n");
  const candidates: string[] = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    const id = lines[index]!.replace(/^commit /, "").trim();
    if (lines[index + 1]!.trim() === INITIAL_COMMIT_MESSAGE) candidates.push(id);
  }
  const answers = await catFiles(
    git,
    candidates.map((commit) => `${commit}:${ANSWERS_FILE}`),
  );
  const commit = candidates.find((_, index) => answersKey(answers[index]) === wanted);
  if (!commit) return undefined;
  const { files, executable } = await treeFiles(git, commit);
  for (const lockfile of LOCKFILES) files.delete(lockfile);
  return { commit, files, executable };
}
