/**
 * The only module that writes the target directory:
 * - a new directory is written as a hidden sibling ("staging") and renamed into place in one step, so a
 *   failed or interrupted run leaves nothing behind: no staging folder, no parent folders it created;
 * - a non-empty directory is refused, listing the conflicts, unless `force`; `force` writes only the
 *   package's files and never deletes anything. It writes every file to a temporary name beside its
 *   destination first and renames them over only once all are written, so a full disk, a permission
 *   problem or a Ctrl-C while writing changes none of the user's files; in the rare case that a rename
 *   itself fails, the error says which files were written and which were left as they were;
 * - no file may land outside the directory, through `..` or through a symbolic link, nor in a `.git` folder;
 * - system errors name the user's path, never the hidden staging folder.
 *
 * The file system calls are synchronous (a package is a few dozen small files; one pass of system calls
 * beats a thread-pool round trip per call), with an event-loop turn between files so that a Ctrl-C lands
 * part-way and is cleaned up (interrupt.ts), not after the work is done.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import { guardAgainstInterrupt, pauseForTest, yieldToSignals } from "../system/interrupt.js";
import { assertSafeRelativePath, type PlannedFile } from "../render/plan.js";
import { decideWrite, readTargetState, refusalMessage } from "./write-actions.js";

export interface WriteResult {
  directory: string;
  /** Paths written, relative to the directory. */
  written: string[];
  /** Paths that existed before and were replaced (only with force). */
  overwritten: string[];
  /** Paths that already held the same bytes and were left untouched (only with force). */
  identical: string[];
}

/** How messages show a path: relative to the current folder when inside it, else absolute. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  if (relative === "") return ".";
  if (relative.startsWith("..") || path.isAbsolute(relative)) return file;
  return `.${path.sep}${relative}`;
}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "a folder is in the way",
  ENAMETOOLONG: "the name is too long for the file system",
  EIO: "an input/output error",
  EMFILE: "too many open files",
  EBUSY: "the file is busy",
  EEXIST: "something with that name appeared meanwhile",
  ENOTEMPTY: "something with that name appeared meanwhile",
  ELOOP: "too many symbolic links",
};

/** "no space left on the device (ENOSPC)": an errno error in words, without the path it carried. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}

const isSystemError = (error: unknown) => typeof (error as NodeJS.ErrnoException | undefined)?.code === "string" && !(error instanceof FailedError);

function entriesOf(directory: string): string[] | undefined {
  let info;
  try {
    info = statSync(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") throw new FailedError(`Cannot create ${shownPath(directory)}: a part of its path is a file, not a folder.`);
    throw new FailedError(`Cannot use ${shownPath(directory)}: ${systemReason(error)}.`);
  }
  if (!info.isDirectory()) throw new FailedError(`${shownPath(directory)} exists and is not a directory. Choose another name.`);
  try {
    return readdirSync(directory);
  } catch (error) {
    throw new FailedError(`Cannot read ${shownPath(directory)}: ${systemReason(error)}.`);
  }
}

/** Whether something is at `file`; a path through a file (ENOTDIR) or too long for the system has nothing. */
function exists(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function preview(items: readonly string[], limit = 10): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

/**
 * Files written between two yields to the event loop, where a pending Ctrl-C lands and cleans up. A yield
 * per file is ~30 event-loop turns per scaffold (0.06-0.4 ms measured in a fresh process); every 8 files a
 * signal still lands part-way, a few small writes later, with the same clean-up.
 */
const YIELD_EVERY = 8;

/** A name beside `file` for writing before renaming; mkdir and "wx" refuse it if it is somehow taken. */
const temporaryName = (file: string) => `${file}.create-middleware-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Folders made on the way to a path, to remove again when the write fails: `mkdirSync(recursive)` returns
 * the first one it created. Removed deepest first, and only while empty (never anything of the user's).
 */
class CreatedFolders {
  private readonly folders: string[] = [];
  make(folder: string): void {
    const first = mkdirSync(folder, { recursive: true });
    if (first === undefined) return;
    for (let current = folder; ; current = path.dirname(current)) {
      this.folders.push(current);
      if (current === first || path.dirname(current) === current) break;
    }
  }
  removeEmpty(): void {
    for (const folder of [...new Set(this.folders)].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty (or already gone): it holds something that is not ours to remove.
      }
    }
    this.folders.length = 0;
  }
}

/**
 * A path inside `root`, for a `relative` path assertSafeRelativePath has passed (no `.`, `..` or empty
 * segments, forward slashes). Joined by hand: path.join would normalise it again, and a package's worth of
 * such calls is enough to get V8 to optimise path's normaliser on a background thread (~4 MB more memory
 * for the run, measured).
 */
const inside = (root: string, relative: string) => `${root}${path.sep}${relative}`;

/**
 * New directory: write a hidden sibling, then rename it into place in one step. An interrupt or a failure
 * before the rename removes the sibling and any parent folders made for it.
 */
async function writeNewDirectory(directory: string, files: readonly PlannedFile[]): Promise<void> {
  const parent = path.dirname(directory);
  const made = new CreatedFolders();
  try {
    made.make(parent);
  } catch (error) {
    throw new FailedError(`Cannot create ${shownPath(directory)}: ${systemReason(error)} (at ${shownPath(parent)}). Nothing was written.`);
  }
  // Not mkdtemp: its 0700 mode would become the package's. mkdir applies the umask.
  const staging = temporaryName(path.join(parent, `.${path.basename(directory)}`));
  try {
    mkdirSync(staging);
  } catch (error) {
    made.removeEmpty();
    throw new FailedError(`Cannot create ${shownPath(directory)}: ${systemReason(error)} (in ${shownPath(parent)}). Nothing was written.`);
  }
  const undo = () => {
    rmSync(staging, { recursive: true, force: true });
    made.removeEmpty();
  };
  await guardAgainstInterrupt(
    () => {
      undo();
      return `Nothing was written: the unfinished copy of ${shownPath(directory)} was removed.`;
    },
    async () => {
      // What is being written, inside the package ("" for the package itself), for the message if it fails.
      let current = "";
      try {
        // Each folder by its path inside the package ("." for the top), made in the staging copy.
        const folders = new Set(files.map((file) => path.dirname(file.path)));
        folders.delete(".");
        for (const folder of folders) {
          current = folder;
          mkdirSync(inside(staging, folder), { recursive: true });
        }
        let count = 0;
        for (const file of files) {
          current = file.path;
          writeFileSync(inside(staging, file.path), file.contents, { flag: "wx" });
          // A pack's executable file (bin/run.sh): 0755, whatever the pack's other mode bits (none is kept).
          if (file.executable) chmodSync(inside(staging, file.path), EXECUTABLE_MODE);
          count += 1;
          if (count % YIELD_EVERY === 0) await yieldToSignals();
          if (count === Math.ceil(files.length / 2)) await pauseForTest("write");
        }
        current = "";
        renameSync(staging, directory);
      } catch (error) {
        undo();
        const code = (error as NodeJS.ErrnoException).code;
        if (current === "" && (code === "ENOTEMPTY" || code === "EEXIST")) {
          throw new FailedError(`${shownPath(directory)} appeared while the package was being written; nothing was changed in it.`);
        }
        if (!isSystemError(error)) throw error;
        throw new FailedError(
          `Could not write ${shownPath(current === "" ? directory : path.join(directory, current))}: ${systemReason(error)}. Nothing was written.`,
        );
      }
    },
  );
}

/** The deepest existing ancestor of `file` must resolve inside `root`: a symlink may not lead elsewhere. */
function assertStaysInside(root: string, relative: string): void {
  let probe = path.dirname(path.join(root, relative));
  while (!exists(probe)) probe = path.dirname(probe);
  if (!statSync(probe).isDirectory()) {
    throw new FailedError(`Refusing to write ${relative}: ${path.relative(root, probe)} exists and is not a folder.`);
  }
  const real = realpathSync(probe);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new FailedError(`Refusing to write ${relative}: ${path.relative(root, probe)} leads outside ${root}.`);
  }
  const destination = path.join(root, relative);
  let info;
  try {
    info = lstatSync(destination, { throwIfNoEntry: false });
  } catch {
    info = undefined; // too long for the file system: writing it fails with a message naming it
  }
  if (info && !info.isFile()) {
    throw new FailedError(
      `Refusing to write ${relative}: it exists and is not a regular file (${info.isDirectory() ? "a folder" : "a link or special file"}).`,
    );
  }
}

/** Removes a temporary file if it is there; a name the file system refused was never created. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // ENAMETOOLONG and the like: nothing was created under that name.
  }
}

/** The mode of a pack's executable file in a new package: never setuid, setgid, sticky or writable by others. */
export const EXECUTABLE_MODE = 0o755;

/**
 * An existing file's mode with the executable bits set (for each of owner, group and others that may read
 * it) or cleared: what update does when the template changed a file's executable bit and the user had not.
 * Special bits (setuid, setgid, sticky) are dropped, and no read or write permission is ever added.
 */
export function withExecutable(mode: number, executable: boolean): number {
  const permissions = mode & 0o777;
  return executable ? permissions | ((permissions & 0o444) >> 2) : permissions & ~0o111;
}

interface Staged {
  file: string;
  destination: string;
  temporary: string;
}

/**
 * Existing directory, in two phases. First every file goes to a temporary name beside its destination
 * (keeping the mode of a file it will replace); a failure or interrupt there removes the temporaries and
 * the folders made for them, and nothing of the user's has changed. Then the temporaries are renamed over
 * their destinations in one synchronous pass; if a rename fails, the error lists what was and was not written.
 */
async function writeIntoExisting(directory: string, files: readonly PlannedFile[]): Promise<string[]> {
  const root = realpathSync(directory);
  for (const file of files) assertStaysInside(root, file.path);
  const overwritten = files.filter((file) => exists(path.join(root, file.path))).map((file) => file.path);
  const made = new CreatedFolders();
  const staged: Staged[] = [];
  const removeTemporaries = () => {
    for (const entry of staged) removeQuietly(entry.temporary);
    made.removeEmpty();
  };
  const unchanged = `Nothing in ${shownPath(directory)} was changed.`;

  await guardAgainstInterrupt(
    () => {
      removeTemporaries();
      return `${unchanged} The files written so far were removed.`;
    },
    async () => {
      for (const file of files) {
        const destination = path.join(root, file.path);
        try {
          made.make(path.dirname(destination));
          const temporary = temporaryName(destination);
          // Listed before writing: a write that fails part-way (ENOSPC) still leaves a file to remove.
          staged.push({ file: file.path, destination, temporary });
          writeFileSync(temporary, file.contents, { flag: "wx" });
          const previous = lstatSync(destination, { throwIfNoEntry: false });
          if (previous) chmodSync(temporary, previous.mode & 0o7777);
          else if (file.executable) chmodSync(temporary, EXECUTABLE_MODE);
        } catch (error) {
          removeTemporaries();
          throw new FailedError(`Could not write ${shownPath(path.join(directory, file.path))}: ${systemReason(error)}. ${unchanged}`);
        }
        if (staged.length % YIELD_EVERY === 0) await yieldToSignals();
        if (staged.length === Math.ceil(files.length / 2)) await pauseForTest("force");
      }
    },
  );

  // Phase two: no await inside, so no interrupt can land between two renames.
  const done: string[] = [];
  for (const [index, entry] of staged.entries()) {
    try {
      renameSync(entry.temporary, entry.destination);
      done.push(entry.file);
    } catch (error) {
      for (const rest of staged.slice(index)) removeQuietly(rest.temporary);
      const notWritten = staged.slice(index).map((rest) => rest.file);
      throw new FailedError(
        `Could not write ${shownPath(path.join(directory, entry.file))}: ${systemReason(error)}.\n` +
          `Written: ${done.length > 0 ? preview(done, 50) : "none"}.\n` +
          `Not written (left as they were): ${preview(notWritten, 50)}.`,
      );
    }
  }
  return overwritten;
}

/** The checks the write makes before touching anything (paths inside the directory, no link leading out). */
export function assertWritable(directory: string, files: readonly { path: string }[]): void {
  for (const file of files) assertSafeRelativePath(file.path);
  if (entriesOf(directory) === undefined) return;
  const root = realpathSync(directory);
  for (const file of files) assertStaysInside(root, file.path);
}

/**
 * Why `directory` cannot take a new package without --force, in one line (it is not empty, or not a
 * folder); undefined when it is missing or empty. For the directory prompt, which checks at once.
 */
export function nonEmptyDirectoryProblem(directory: string): string | undefined {
  let entries: string[] | undefined;
  try {
    entries = entriesOf(directory);
  } catch (error) {
    return (error as Error).message;
  }
  if (entries === undefined || entries.length === 0) return undefined;
  return `${shownPath(directory)} is not empty (contains: ${preview(entries.sort())}). Choose a new folder, or run again with --force.`;
}

/** Two planned paths that a case-insensitive file system would take for one file. */
function assertNoCaseCollisions(files: readonly PlannedFile[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = file.path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && other !== file.path) {
      throw new UsageError(`Refusing to write both "${other}" and "${file.path}": they are the same file on a case-insensitive file system.`);
    }
    seen.set(key, file.path);
  }
}

export async function writePackage(directory: string, files: readonly PlannedFile[], options: { force: boolean }): Promise<WriteResult> {
  for (const file of files) assertSafeRelativePath(file.path);
  assertNoCaseCollisions(files);
  const written = files.map((file) => file.path);
  const entries = entriesOf(directory);
  if (entries === undefined) {
    await writeNewDirectory(directory, files);
    return { directory, written, overwritten: [], identical: [] };
  }
  // One decision for the real run and --dry-run (write-actions.ts): refuse, or which files change.
  const decision = decideWrite(files, readTargetState(directory, files), options);
  if (decision.refusal) throw new FailedError(refusalMessage(shownPath(directory), decision.refusal));
  const changed = new Set(decision.actions.filter((entry) => entry.action !== "identical").map((entry) => entry.path));
  // A file that already holds the same bytes is left alone: not rewritten, not reported as replaced.
  const overwritten = await writeIntoExisting(
    directory,
    files.filter((file) => changed.has(file.path)),
  );
  return { directory, written, overwritten, identical: written.filter((file) => !changed.has(file)) };
}
