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
import { UsageError } from "../errors.js";
import { MAX_BYTES, MAX_ENTRIES } from "../packs/tarball.js";
import { assertSafeRelativePath } from "../render/plan.js";
import { visible } from "../answers/text-rules.js";
import { USER_FILE_LIMIT } from "./read-user-file.js";

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
  return (args: string[], extra: { input?: string | Uint8Array; bytes?: boolean; maxOutputBytes?: number } = {}): Promise<RunResult> =>
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

/** A blob to read: its id and its size (from `ls-tree -l` or `cat-file --batch-check`). */
interface SizedBlob {
  object: string;
  size: number;
}

/**
 * The bytes of each blob through one `git cat-file --batch`. The sizes are known beforehand, so git's whole
 * answer is too (a header line, the contents and a line feed per blob): it is read with exactly that bound,
 * never more.
 */
async function catBlobs(git: ReturnType<typeof gitIn>, blobs: readonly SizedBlob[]): Promise<Buffer[]> {
  if (blobs.length === 0) return [];
  const headers = blobs.map((blob) => `${blob.object} blob ${blob.size}\n`);
  const expected = blobs.reduce((total, blob, index) => total + Buffer.byteLength(headers[index]!) + blob.size + 1, 0);
  const result = await git(["cat-file", "--batch"], {
    input: `${blobs.map((blob) => blob.object).join("\n")}\n`,
    bytes: true,
    maxOutputBytes: expected,
  });
  if (!result.ok || !result.stdoutBytes)
    throw new Error(`git cat-file failed: ${result.failure === "too-large" ? "it gave more than the objects' sizes" : result.output.trim()}`);
  const out = result.stdoutBytes;
  let at = 0;
  return blobs.map((blob, index) => {
    const header = headers[index]!;
    if (out.toString("utf8", at, at + Buffer.byteLength(header)) !== header)
      throw new Error(`git cat-file gave an unexpected answer for ${blob.object}`);
    at += Buffer.byteLength(header);
    const contents = Buffer.from(out.subarray(at, at + blob.size));
    at += blob.size + 1; // the contents, then a line feed
    return contents;
  });
}

/** Each named object's id, type and size through one `git cat-file --batch-check`; undefined when missing. */
async function checkObjects(
  git: ReturnType<typeof gitIn>,
  names: readonly string[],
): Promise<({ object: string; type: string; size: number } | undefined)[]> {
  if (names.length === 0) return [];
  const result = await git(["cat-file", "--batch-check"], { input: `${names.join("\n")}\n` });
  if (!result.ok) throw new Error(`git cat-file failed: ${result.output.trim()}`);
  const lines = result.stdout.split("\n");
  return names.map((_, index) => {
    const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(lines[index] ?? "");
    return match ? { object: match[1]!, type: match[2]!, size: Number(match[3]) } : undefined;
  });
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
 * The bounds on a base read from git. A repository is untrusted input like a downloaded pack (a clone, or a
 * fetched ref, can carry a blob of gigabytes or a tree of millions of entries), so a base is held to a
 * pack's bounds (packs/tarball.ts): at most MAX_BASE_ENTRIES entries and MAX_BASE_BYTES of files in all,
 * each answers file on the way at most USER_FILE_LIMIT (as the package's own, read-user-file.ts). Sizes are
 * read before any contents, so a base over a bound is refused without reading it.
 */
export const MAX_BASE_BYTES = MAX_BYTES;
export const MAX_BASE_ENTRIES = MAX_ENTRIES;
/** `ls-tree -l` gives a line of at most ~150 bytes besides the path; paths longer than PATH_MAX are none of ours. */
const MAX_LISTING_BYTES = MAX_BASE_ENTRIES * (4096 + 160);

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Where a base was found, for messages: a render on BASE_REF (in a folder of it, for a member) or create's initial commit. */
type BaseSite = { kind: "ref"; commit: string; folder: string } | { kind: "initial-commit"; commit: string };

/**
 * A base the repository offers that is over a bound or holds what create-middleware never records there (a
 * link, a submodule, a path leaving the package): refused (exit 2, like a pack over its bounds), before
 * anything is written.
 */
export class UnsafeBaseError extends UsageError {
  override name = "UnsafeBaseError";
}

function refuse(site: BaseSite, problem: string): UnsafeBaseError {
  const commit = site.commit.slice(0, 12);
  if (site.kind === "ref") {
    return new UnsafeBaseError(
      `The base for this update, the pristine render ${commit} on ${BASE_REF}${site.folder ? ` (folder ${site.folder})` : ""}, is refused: ${problem}. ` +
        "create-middleware records only the rendered files there, so this is not a render it kept. Nothing was written. " +
        `To drop the kept renders and let update take its base from create's initial commit or a fresh render of the recorded version (with --from <clone> for a pack commit only a clone has): git update-ref -d ${BASE_REF}`,
    );
  }
  return new UnsafeBaseError(
    `The base for this update, the package's initial commit ${commit} ("${INITIAL_COMMIT_MESSAGE}"), is refused: ${problem}. ` +
      "create commits only the rendered files and a lockfile there. Nothing was written. " +
      `Fetch the kept renders from the clone that made the package, which are taken first: git fetch origin ${BASE_REF}:${BASE_REF}`,
  );
}

/**
 * The newest of `commits` whose answers file (at `file` in it) says `wanted`, or undefined. Sizes are checked
 * first and the files read in groups of at most MAX_BASE_BYTES, stopping at the match; an answers file
 * larger than USER_FILE_LIMIT on the way is refused.
 */
async function findByAnswers(
  git: ReturnType<typeof gitIn>,
  commits: readonly string[],
  file: string,
  wanted: string,
  site: (commit: string) => BaseSite,
): Promise<string | undefined> {
  const objects = await checkObjects(
    git,
    commits.map((commit) => `${commit}:${file}`),
  );
  let group: number[] = [];
  let groupBytes = 0;
  const matchIn = async (indexes: number[]) => {
    const contents = await catBlobs(
      git,
      indexes.map((index) => objects[index]!),
    );
    const found = indexes.findIndex((_, position) => answersKey(contents[position]) === wanted);
    return found < 0 ? undefined : commits[indexes[found]!];
  };
  for (const [index, object] of objects.entries()) {
    if (object?.type !== "blob") continue;
    if (object.size > USER_FILE_LIMIT) {
      throw refuse(
        site(commits[index]!),
        `its answers file ${file} is ${object.size} bytes, over the ${megabytes(USER_FILE_LIMIT)} an answers file may have`,
      );
    }
    if (groupBytes + object.size > MAX_BASE_BYTES) {
      const found = await matchIn(group);
      if (found) return found;
      group = [];
      groupBytes = 0;
    }
    group.push(index);
    groupBytes += object.size;
  }
  return group.length > 0 ? matchIn(group) : undefined;
}

/**
 * The pristine render whose answers file matches `answersFile` (the package's), newest first along BASE_REF;
 * undefined when the repository holds none (no ref, or no render with these answers). Throws
 * UnsafeBaseError for a render over the bounds above or holding anything but regular files at safe paths.
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
  const site = (commit: string): BaseSite => ({ kind: "ref", commit, folder: prefix.slice(0, -1) });
  const commit = await findByAnswers(git, commits, `${prefix}${ANSWERS_FILE}`, wanted, site);
  if (!commit) return undefined;

  return { commit, ...(await treeFiles(git, prefix ? `${commit}:${prefix}` : commit, site(commit))) };
}

/** Why an entry of a base's tree cannot be a base file, or undefined when it can. */
function entryProblem(mode: string, type: string, file: string): string | undefined {
  // Refused, not skipped: create-middleware records only regular files (100644, 100755) at paths it rendered,
  // so anything else means someone else made this tree, and none of it is to be trusted. Skipping would
  // still merge from the rest, and a path the base names is one update may delete or compare: a link there
  // would be followed, a path with `..` would leave the package.
  if (mode === "120000") return `${visible(file)} is a symbolic link (mode 120000); a base holds only regular files, and update never follows a link`;
  if (mode === "160000") return `${visible(file)} is a submodule (mode 160000); a base holds only regular files`;
  if (type !== "blob" || (mode !== "100644" && mode !== "100755"))
    return `${visible(file)} is a ${type} of mode ${mode}; a base holds only regular files`;
  try {
    assertSafeRelativePath(file);
  } catch {
    return `the path ${visible(file)} does not stay inside the package (an absolute path, a ".." or ".git" segment, a backslash or a control character)`;
  }
  return undefined;
}

/**
 * Every file of a commit's tree (or a folder's: `<commit>:packages/rl/`), path -> bytes, and which of them
 * are executable; `omit` (lockfiles) is neither read nor counted. The listing comes first, with sizes
 * (`ls-tree -l`): too many entries, one that is not a regular file at a safe path, or more than
 * MAX_BASE_BYTES in all refuses the base before a byte of it is read.
 */
async function treeFiles(
  git: ReturnType<typeof gitIn>,
  treeish: string,
  site: BaseSite,
  omit: readonly string[] = [],
): Promise<{ files: Map<string, Buffer>; executable: Set<string> }> {
  const tree = await git(["ls-tree", "-r", "-z", "-l", "--full-tree", treeish], { bytes: true, maxOutputBytes: MAX_LISTING_BYTES });
  const tooMany = `its tree has more than ${MAX_BASE_ENTRIES} entries, the most a base (like a template pack) may hold`;
  if (tree.failure === "too-large") {
    throw refuse(
      site,
      `its tree's listing passes ${megabytes(MAX_LISTING_BYTES)}, more than ${MAX_BASE_ENTRIES} entries (the most a base, like a template pack, may hold) with paths of up to 4,096 bytes take`,
    );
  }
  if (!tree.ok || !tree.stdoutBytes) throw new Error(`git ls-tree failed: ${tree.output.trim()}`);
  const listing = tree.stdoutBytes;
  const records: Buffer[] = [];
  for (let at = 0; at < listing.length; ) {
    const end = listing.indexOf(0, at);
    records.push(listing.subarray(at, end < 0 ? listing.length : end));
    at = end < 0 ? listing.length : end + 1;
    if (records.length > MAX_BASE_ENTRIES) throw refuse(site, tooMany);
  }
  const entries: { mode: string; object: string; size: number; path: string }[] = [];
  let total = 0;
  for (const record of records) {
    const tab = record.indexOf(9);
    const [mode = "", type = "", object = "", size = ""] = record.subarray(0, tab).toString("utf8").trim().split(/ +/);
    const raw = record.subarray(tab + 1);
    const file = raw.toString("utf8");
    if (!Buffer.from(file, "utf8").equals(raw))
      throw refuse(site, `the path ${visible(file)} is not valid UTF-8; create-middleware renders none such`);
    const problem = entryProblem(mode, type, file);
    if (problem) throw refuse(site, problem);
    if (omit.includes(file)) continue;
    total += Number(size);
    entries.push({ mode, object, size: Number(size), path: file });
  }
  if (total > MAX_BASE_BYTES) {
    throw refuse(
      site,
      `its files come to ${total} bytes, over the ${megabytes(MAX_BASE_BYTES)} (${MAX_BASE_BYTES} bytes) a base (like an unpacked template pack) may hold`,
    );
  }
  const contents = await catBlobs(git, entries);
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  entries.forEach((entry, index) => {
    files.set(entry.path, contents[index]!);
    if (entry.mode === "100755") executable.add(entry.path);
  });
  return { files, executable };
}

/**
 * In a clone without BASE_REF (it is not fetched by default), the package's first update can still find
 * its base: the initial commit `create` made holds exactly the rendered files plus a lockfile from the
 * install. Used only when that commit is create's (its message) and its answers file says the same as the
 * package's; the lockfiles are left out (not read). Held to the same bounds as a pristine render.
 */
export async function readInitialCommit(directory: string, answersFile: Buffer, context: GitContext = {}): Promise<PristineBase | undefined> {
  const git = gitIn(directory, context);
  const wanted = answersKey(answersFile);
  if (wanted === undefined) return undefined;
  // Each subject cut one character past create's message (a longer one then ends in ".."): a root commit
  // with a subject of megabytes gives a line like any other.
  const roots = await git([
    "rev-list",
    "--max-parents=0",
    "--max-count=200",
    `--format=%<(${INITIAL_COMMIT_MESSAGE.length + 1},trunc)%s`,
    "HEAD",
    "--",
  ]);
  if (!roots.ok) return undefined;
  // Lines alternate: "commit <id>", then the subject.
  const lines = roots.stdout.split("\n");
  const candidates: string[] = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    const id = lines[index]!.replace(/^commit /, "").trim();
    if (lines[index + 1]!.trim() === INITIAL_COMMIT_MESSAGE) candidates.push(id);
  }
  const site = (commit: string): BaseSite => ({ kind: "initial-commit", commit });
  const commit = await findByAnswers(git, candidates, ANSWERS_FILE, wanted, site);
  if (!commit) return undefined;
  return { commit, ...(await treeFiles(git, commit, site(commit), LOCKFILES)) };
}
