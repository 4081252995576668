/**
 * `create-middleware update`, as a library: bring a generated package forward to the current templates
 * without losing a line of the user's (docs/update.md).
 *
 * planUpdate (reads only): the package's answers file -> the base (the pristine render the package started
 * from: from its git repository (pristine.ts: the renders on refs/create-middleware/base, else create's
 * initial commit), else re-rendered when the same templates are at hand (render.ts)), the next render
 * (the same answers with the current templates, plus any changes asked for), the files on disk, and per
 * file what the update does (classify.ts). applyUpdate: records the next render as the new pristine render
 * (when the package has its own repository), then writes every change in one all-or-nothing step
 * (write-changes.ts), the answers file last.
 */
import { existsSync, lstatSync, realpathSync } from "node:fs";
import path from "node:path";
import { ANSWERS_FILE, validateAnswersFile, type AnswersFile } from "../answers/answers-file.js";
import { CLI_VERSION } from "../version.js";
import { FailedError, UsageError } from "../errors.js";
import { gitEnvironment } from "../system/git.js";
import { assertSafeRelativePath } from "../render/plan.js";
import { readUserFile } from "../system/read-user-file.js";
import { runCommand } from "../system/run-command.js";
import type { Asker } from "../answers/prompts.js";
import { applyChanges } from "../write/write-changes.js";
import { isText } from "../write/file-diff.js";
import { hasUnresolvedConflict } from "./merge.js";
import { matchesAnyGlob } from "../packs/glob.js";
import { classifyUpdate, conflictedFiles, type FileUpdate } from "./classify.js";
import { followModes } from "./modes.js";
import { recordUnmerged } from "./unmerged.js";
import { readInitialCommit, readPristine, recordPristine, repositoryFolder } from "../system/pristine.js";
import { inferPackageManager, renderNext, renderRecorded, renderRecordedFromClone, type AnswerChanges, type Render } from "./both-renders.js";
import type { PackageManager } from "../answers/answers.js";

export interface UpdateOptions extends AnswerChanges {
  /** The package directory. */
  directory: string;
  /** Run even when the package's git work tree has uncommitted changes. */
  force?: boolean;
  /** Fetch nothing: a remote pack must be in the cache. */
  offline?: boolean;
  /** Resolves a relative --template; defaults to process.cwd(). */
  cwd?: string;
  /** The environment git runs with (tests point it at a throwaway configuration). */
  env?: NodeJS.ProcessEnv;
  /** npm_config_user_agent: the package manager that launched us, the last hint for the README's commands. */
  userAgent?: string;
  /** Asks new pack questions; only on a terminal (without it, --var, the team config or the default answer). */
  asker?: Asker;
  /** `update -i`: through `asker`, ask every question again (target, starter, schema, the pack's), the recorded answers preselected. */
  interactive?: boolean;
  /** Told about choices made on the way. */
  notice?: (message: string) => void;
}

/** No base can be found for the package (see docs/update.md); `outdated` still compares versions then. */
export class MissingBaseError extends FailedError {
  override name = "MissingBaseError";
}

/** Where the base came from: the package's repository, or a fresh render of the recorded version. */
export type BaseSource = { kind: "git"; commit: string } | { kind: "initial-commit"; commit: string } | { kind: "render" };

export interface TemplateChange {
  path: string;
  change: "added" | "changed" | "removed";
}

export interface UpdatePlan {
  directory: string;
  /** The answers file as it is now. */
  record: AnswersFile;
  base: BaseSource;
  next: Render;
  /** What the templates changed between the base and the next render (what `outdated` lists). */
  templateChanges: TemplateChange[];
  /** Per file, in path order: what the update does. */
  files: FileUpdate[];
  /** create-middleware and pack versions, before and after. */
  from: { createMiddleware: string; template: string | null };
  to: { createMiddleware: string; template: string | null };
  /** The package is the top of its own git repository (where pristine renders are kept). */
  ownRepository: boolean;
  /**
   * The package's folder in the git repository that keeps its pristine renders ("" at the top, as create
   * makes it; "packages/rl" for a monorepo's member); undefined outside any repository.
   */
  repositoryFolder: string | undefined;
  /** Answers that change on the way ("schema: none -> zod"). */
  answerChanges: string[];
}

export function readRecord(directory: string): { bytes: Buffer; record: AnswersFile } {
  const file = path.join(directory, ANSWERS_FILE);
  // A pipe, a device or an oversized file is refused by name (exit 2), never read (read-user-file.ts).
  const bytes = readUserFile(file, { what: "The answers file" });
  if (bytes === undefined) {
    throw new UsageError(
      `${directory} has no ${ANSWERS_FILE}, so it was not made by create-middleware (or was made before it recorded its answers). ` +
        "Run update in a package's folder, or pass that folder: create-middleware update <dir>.",
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new UsageError(`The answers file ${file} is not valid JSON (${(error as Error).message}). Restore it from git.`);
  }
  return { bytes, record: validateAnswersFile(raw, file) };
}

/** The package's directory (absolute) and its answers file, checked. */
export function readRecordOf(directory: string): { directory: string; record: AnswersFile } {
  const absolute = path.resolve(directory);
  return { directory: absolute, record: readRecord(absolute).record };
}

/** Uncommitted changes in the package (tracked or untracked), or undefined when it is not in a git work tree. */
async function uncommittedChanges(directory: string, env: NodeJS.ProcessEnv | undefined): Promise<string[] | undefined> {
  const status = await runCommand(
    { command: "git", args: ["status", "--porcelain", "--untracked-files=all", "--", "."] },
    { cwd: directory, env: gitEnvironment(env) },
  );
  if (!status.ok) return undefined;
  return status.stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
}

/**
 * The files on disk at these paths: bytes for a regular file, null for a folder or a link; absent when
 * missing. A pipe, socket or device, or a file over the size cap, is refused by name (exit 2): reading it
 * would block or exhaust memory, and `outdated`'s exit 1 must only ever mean "an update exists".
 * Null too, never read, for a path that leaves the package (a folder of it that is a link leading out, or
 * an unsafe path from a pristine render in the package's git history): a dry run would print its lines.
 */
export function readYours(directory: string, paths: Iterable<string>): Map<string, Buffer | null> {
  const yours = new Map<string, Buffer | null>();
  const root = realpathSync(directory);
  for (const file of paths) {
    const full = path.join(directory, file);
    try {
      assertSafeRelativePath(file);
    } catch {
      yours.set(file, null);
      continue;
    }
    let folder = path.dirname(full);
    while (!existsSync(folder)) folder = path.dirname(folder);
    const real = realpathSync(folder);
    if (real !== root && !real.startsWith(root + path.sep)) {
      yours.set(file, null);
      continue;
    }
    let info;
    try {
      info = lstatSync(full, { throwIfNoEntry: false });
    } catch {
      info = undefined; // a part of the path is a file: nothing there
    }
    if (!info) continue;
    if (info.isDirectory() || info.isSymbolicLink()) yours.set(file, null);
    else yours.set(file, readUserFile(full, { what: "The package's file", noLinks: true }) ?? null);
  }
  return yours;
}

function templateChanges(
  base: ReadonlyMap<string, Buffer>,
  next: ReadonlyMap<string, Buffer>,
  executable: { base: ReadonlySet<string>; next: ReadonlySet<string> },
): TemplateChange[] {
  const paths = [...new Set([...base.keys(), ...next.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const changes: TemplateChange[] = [];
  for (const file of paths) {
    const before = base.get(file);
    const after = next.get(file);
    if (before === undefined) changes.push({ path: file, change: "added" });
    else if (after === undefined) changes.push({ path: file, change: "removed" });
    else if (!before.equals(after) || executable.base.has(file) !== executable.next.has(file)) changes.push({ path: file, change: "changed" });
  }
  return changes;
}

function answerChanges(before: AnswersFile, after: AnswersFile): string[] {
  const changes: string[] = [];
  const show = (value: unknown) =>
    value === null || value === undefined
      ? "default"
      : Array.isArray(value)
        ? value.join(" ") || "none"
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  for (const key of Object.keys(after.answers) as (keyof AnswersFile["answers"])[]) {
    const from = JSON.stringify(before.answers[key]);
    const to = JSON.stringify(after.answers[key]);
    if (from !== to) changes.push(`${key}: ${show(before.answers[key])} -> ${show(after.answers[key])}`);
  }
  if ((before.template?.source ?? null) !== (after.template?.source ?? null)) {
    changes.push(`template: ${before.template?.source ?? "built-in"} -> ${after.template?.source ?? "built-in"}`);
  }
  return changes;
}

const asMap = (files: readonly { path: string; contents: Buffer }[]) => new Map(files.map((file) => [file.path, file.contents]));
const executables = (files: readonly { path: string; executable?: boolean }[]) =>
  new Set(files.filter((file) => file.executable).map((file) => file.path));

export interface FoundBase {
  base: { source: BaseSource; files: Map<string, Buffer>; executable: ReadonlySet<string> };
  /** The package is the top of its own git repository (where pristine renders are kept). */
  ownRepository: boolean;
  /** Its folder in the git repository it is in ("" at the top); undefined outside any. */
  repositoryFolder: string | undefined;
  /** The package manager the package was made for (render.ts infers it; not recorded). */
  madeWith: PackageManager;
}

/**
 * The package exactly as it was generated (docs/update.md, "Where the base comes from"): the pristine render
 * kept in its repository, else create's initial commit, else a fresh render of the recorded version; a
 * MissingBaseError when none of them can be had.
 */
export async function findBase(
  directory: string,
  record: AnswersFile,
  answersBytes: Buffer,
  options: Pick<UpdateOptions, "env" | "offline" | "userAgent" | "from" | "cwd">,
): Promise<FoundBase> {
  const offline = options.offline ?? false;
  const context = options.env ? { env: options.env } : {};
  // A monorepo's member keeps its renders in the monorepo's repository, under its folder (pristine.ts).
  const folder = await repositoryFolder(directory, context);
  const ownRepository = folder === "";
  let base: FoundBase["base"] | undefined;
  if (folder !== undefined) {
    const pristine = await readPristine(directory, answersBytes, { ...context, folder });
    if (pristine) base = { source: { kind: "git", commit: pristine.commit }, files: pristine.files, executable: pristine.executable };
    else if (ownRepository) {
      const initial = await readInitialCommit(directory, answersBytes, context);
      if (initial) base = { source: { kind: "initial-commit", commit: initial.commit }, files: initial.files, executable: initial.executable };
    }
  }
  // Not recorded, yet named in the README: inferred (render.ts), so the base and the next render agree on it.
  const madeWith = inferPackageManager(directory, base?.files.get("README.md"), options.userAgent ?? process.env.npm_config_user_agent);
  if (!base) {
    let recorded = await renderRecorded(record, directory, { offline, pm: madeWith });
    // `--from <clone>`: the recorded commit may be one the clone made and never pushed.
    if (typeof recorded === "string" && options.from !== undefined) {
      const fromClone = await renderRecordedFromClone(record, directory, options.from, { offline, pm: madeWith, cwd: options.cwd ?? process.cwd() });
      if (typeof fromClone !== "string") recorded = fromClone;
    }
    if (typeof recorded === "string") {
      throw new MissingBaseError(
        `Cannot find the base for this update: the package's git repository holds no pristine render for its answers file, and ${recorded}.\n` +
          "The base is the package exactly as it was generated; without it a merge cannot tell your changes from the template's. " +
          'See "Where the base comes from" in docs/update.md: fetch refs/create-middleware/base from the clone that made the package, ' +
          "or run the create-middleware version (and pack version) recorded in .create-middleware.json.",
      );
    }
    base = { source: { kind: "render" }, files: asMap(recorded.files), executable: executables(recorded.files) };
  }
  return { base, ownRepository, repositoryFolder: folder, madeWith };
}

/**
 * A file of the package that still holds conflict markers (a past update's, committed unresolved) would get
 * a second set nested inside the first: refused, naming the files, unless --force. Markers the template
 * itself has (in the base) are not the user's.
 */
function refuseUnresolvedConflicts(directory: string, yours: ReadonlyMap<string, Buffer | null>, base: ReadonlyMap<string, Buffer>): void {
  const marked = [...yours].flatMap(([file, bytes]) => {
    if (!bytes || !isText(bytes) || !hasUnresolvedConflict(bytes.toString("utf8"))) return [];
    const pristine = base.get(file);
    return pristine && hasUnresolvedConflict(pristine.toString("utf8")) ? [] : [file];
  });
  if (marked.length === 0) return;
  throw new UsageError(
    `${marked.join(", ")} in ${directory} still ${marked.length === 1 ? "holds" : "hold"} conflict markers (<<<<<<< / ======= / >>>>>>>) from an earlier merge. ` +
      "Resolve them first (keep what you want, delete the markers, commit), so this update does not nest new markers inside them; or pass --force to update anyway.",
  );
}

/**
 * pack.json's `skipIfExists`: such a file is the user's once created. Whatever the templates do to it, an
 * existing one is left alone; a deleted one is created again from the template.
 */
function followSkipIfExists(files: FileUpdate[], next: Render, yours: ReadonlyMap<string, Buffer | null>): FileUpdate[] {
  if (next.skipIfExists.length === 0) return files;
  const template = asMap(next.files);
  return files.map((file): FileUpdate => {
    if (file.path === ANSWERS_FILE || !matchesAnyGlob(next.skipIfExists, file.path)) return file;
    const mine = yours.get(file.path);
    if (mine !== undefined) {
      return {
        path: file.path,
        status: "unchanged",
        contents: undefined,
        current: mine ?? undefined,
        note: "skipIfExists: created once, yours from then on",
      };
    }
    const contents = template.get(file.path);
    return contents
      ? { path: file.path, status: "added", contents, current: undefined, note: "skipIfExists: created again, since it was deleted" }
      : file;
  });
}

/**
 * pack.json's `exclude`, added by a newer pack version for a file the package already has: the pack stops
 * rendering it, so it is no longer the pack's to delete; it stays as it is (as copier's `_exclude` does).
 */
function followExclude(files: FileUpdate[], next: Render): FileUpdate[] {
  const exclude = next.exclude ?? [];
  if (exclude.length === 0) return files;
  return files.map(
    (file): FileUpdate =>
      file.status === "removed" && file.path !== ANSWERS_FILE && matchesAnyGlob(exclude, file.path)
        ? {
            path: file.path,
            status: "unchanged",
            contents: undefined,
            current: file.current,
            note: "exclude: the pack no longer renders it; yours stays",
          }
        : file,
  );
}

/** Refuses a dirty work tree (unless force), finds the base, renders, classifies. Writes nothing. */
export async function planUpdate(
  options: UpdateOptions,
  checks: { requireClean: boolean; refuseMarkers?: boolean } = { requireClean: true },
): Promise<UpdatePlan> {
  const directory = path.resolve(options.directory);
  const { bytes, record } = readRecord(directory);
  // Flags that contradict each other, before any work (the base may not even be found without them).
  if (options.template !== undefined && options.keepTemplate)
    throw new UsageError("--keep-template keeps the recorded pack version, and --template names another: pass one of them.");
  if (options.template !== undefined && options.from !== undefined)
    throw new UsageError("--from fetches the recorded pack from a local clone, and --template names another pack: pass one of them.");
  if (options.interactive && !options.asker)
    throw new UsageError(
      "update -i asks every question again, and there is no terminal to ask on (or --yes or --json asks none). " +
        "Run it in a terminal without --yes and --json, or pass the changes as flags (--schema, --starter, --var key=value, --vars-file).",
    );

  if (checks.requireClean && !options.force) {
    const dirty = await uncommittedChanges(directory, options.env);
    if (dirty && dirty.length > 0) {
      const shown = dirty.slice(0, 10).join(", ") + (dirty.length > 10 ? ` and ${dirty.length - 10} more` : "");
      throw new FailedError(
        `${directory} has uncommitted changes (${shown}). Commit or stash them first, so the update is one change you can ` +
          "review and undo with git; or pass --force to update over them.",
      );
    }
  }

  const offline = options.offline ?? false;
  const { base, ownRepository, repositoryFolder: folder, madeWith } = await findBase(directory, record, bytes, options);

  const next = await renderNext(
    record,
    directory,
    { ...options, pm: options.pm ?? madeWith },
    {
      cwd: options.cwd ?? process.cwd(),
      offline,
      ...(options.asker ? { asker: options.asker } : {}),
      ...(options.interactive ? { reask: true } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
    },
  );
  const nextFiles = asMap(next.files);
  const yours = readYours(directory, new Set([...base.files.keys(), ...nextFiles.keys()]));
  if (checks.refuseMarkers !== false && !options.force) refuseUnresolvedConflicts(directory, yours, base.files);
  const classified = await classifyUpdate({ base: base.files, template: nextFiles, yours, ...(options.env ? { env: options.env } : {}) });
  const nextExecutable = executables(next.files);
  const files = followModes(followExclude(followSkipIfExists(classified, next, yours), next), {
    directory,
    base: base.files,
    baseExecutable: base.executable,
    template: nextFiles,
    templateExecutable: nextExecutable,
    yours,
  });
  const nextRecord = validateAnswersFile(JSON.parse(next.answersFile.toString("utf8")), ANSWERS_FILE);
  return {
    directory,
    record,
    base: base.source,
    next,
    templateChanges: templateChanges(base.files, nextFiles, { base: base.executable, next: nextExecutable }),
    files,
    from: { createMiddleware: record.createMiddleware, template: record.template?.resolved ?? null },
    to: { createMiddleware: CLI_VERSION, template: nextRecord.template?.resolved ?? null },
    ownRepository,
    repositoryFolder: folder,
    answerChanges: answerChanges(record, nextRecord),
  };
}

export interface UpdateResult {
  written: string[];
  deleted: string[];
  /** Files left with conflict markers, to resolve by hand. */
  conflicts: string[];
  /** The commit holding the new pristine render, when the package is in a git repository. */
  pristine: string | undefined;
  /** Why the pristine render could not be kept, when it could not. */
  pristineNote: string | undefined;
  /** Why the conflicts could not be recorded as unmerged in the git index, when they could not. */
  unmergedNote: string | undefined;
}

/** Writes what `planUpdate` decided, all or nothing, the answers file last. */
export async function applyUpdate(plan: UpdatePlan, options: { env?: NodeJS.ProcessEnv } = {}): Promise<UpdateResult> {
  const changes = plan.files
    .filter((file) => file.contents !== undefined)
    .map((file) => ({ path: file.path, contents: file.contents ?? null, ...(file.executable !== undefined ? { executable: file.executable } : {}) }))
    // The answers file records the new version: it goes in last, after every other file.
    .sort((a, b) => Number(a.path === ANSWERS_FILE) - Number(b.path === ANSWERS_FILE));
  let pristine: string | undefined;
  let pristineNote: string | undefined;
  if (plan.repositoryFolder !== undefined && changes.length > 0) {
    // Before the write: a package whose files changed always has the base of its next update.
    const message =
      `create-middleware ${plan.to.createMiddleware}: pristine render of ${plan.record.answers.packageName}\n\n` +
      "The base that `create-middleware update` merges from; see docs/update.md of create-middleware.";
    try {
      pristine = await recordPristine(plan.directory, plan.next.files, message, {
        ...(options.env ? { env: options.env } : {}),
        folder: plan.repositoryFolder,
      });
    } catch (error) {
      pristineNote = (error as Error).message;
    }
  }
  const { written, deleted } = changes.length > 0 ? await applyChanges(plan.directory, changes) : { written: [], deleted: [] };
  const unmerged = plan.files.flatMap((file) => (file.status === "conflict" && file.sides ? [{ path: file.path, ...file.sides }] : []));
  const unmergedNote = await recordUnmerged(plan.directory, unmerged, options.env).catch((error: Error) => error.message);
  return { written, deleted, conflicts: conflictedFiles(plan.files), pristine, pristineNote, unmergedNote };
}
