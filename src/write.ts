/**
 * The only module that writes the target directory (DESIGN.md §4):
 * - a new directory is written as a temporary sibling and renamed into place, so an interrupted or failed
 *   run leaves nothing behind;
 * - a non-empty directory is refused, listing the conflicts, unless `force`; `force` writes only the
 *   package's files, each atomically, and never deletes anything;
 * - no file may land outside the directory, through `..` or through a symbolic link.
 *
 * The file system calls are synchronous: a package is a few dozen small files, one pass of system calls
 * beats a thread-pool round trip per call, and a Ctrl-C (handled between ticks once the interrupt guard is
 * installed) can only land before or after a step, never inside one.
 */
import { lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FailedError } from "./errors.js";
import { guardAgainstInterrupt } from "./interrupt.js";
import { assertSafeRelativePath, type PlannedFile } from "./plan.js";

export interface WriteResult {
  directory: string;
  /** Paths written, relative to the directory. */
  written: string[];
  /** Paths that existed before and were replaced (only with force). */
  overwritten: string[];
}

function entriesOf(directory: string): string[] | undefined {
  try {
    if (!statSync(directory).isDirectory()) throw new FailedError(`${directory} exists and is not a directory. Choose another name.`);
    return readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

const exists = (file: string) => lstatSync(file, { throwIfNoEntry: false }) !== undefined;

function preview(items: string[], limit = 10): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

/** A name beside `file` for writing before renaming; mkdir and "wx" refuse it if it is somehow taken. */
const temporaryName = (file: string) => `${file}.create-middleware-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Into a fresh staging directory: folders first, then the files (nothing there to collide with). */
function writeAll(root: string, files: readonly PlannedFile[]): void {
  const folders = [...new Set(files.map((file) => path.dirname(path.join(root, file.path))))];
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(path.join(root, file.path), file.contents, { flag: "wx" });
}

/**
 * New directory: write a hidden sibling, then rename it into place in one step. The guard matters even
 * though the work is synchronous: with its handler installed, a Ctrl-C waits for this step instead of
 * killing the process with a staging folder left behind.
 */
async function writeNewDirectory(directory: string, files: readonly PlannedFile[]): Promise<void> {
  const parent = path.dirname(directory);
  mkdirSync(parent, { recursive: true });
  // Not mkdtemp: its 0700 mode would become the package's. mkdir applies the umask.
  const staging = temporaryName(path.join(parent, `.${path.basename(directory)}`));
  mkdirSync(staging);
  const undo = () => rmSync(staging, { recursive: true, force: true });
  await guardAgainstInterrupt(undo, async () => {
    try {
      writeAll(staging, files);
      renameSync(staging, directory);
    } catch (error) {
      undo();
      if ((error as NodeJS.ErrnoException).code === "ENOTEMPTY" || (error as NodeJS.ErrnoException).code === "EEXIST") {
        throw new FailedError(`${directory} appeared while the package was being written; nothing was changed in it.`);
      }
      throw error;
    }
  });
}

/** The deepest existing ancestor of `file` must resolve inside `root`: a symlink may not lead elsewhere. */
function assertStaysInside(root: string, relative: string): void {
  let probe = path.dirname(path.join(root, relative));
  while (!exists(probe)) probe = path.dirname(probe);
  const real = realpathSync(probe);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new FailedError(`Refusing to write ${relative}: ${path.relative(root, probe)} leads outside ${root}.`);
  }
  const destination = path.join(root, relative);
  if (exists(destination) && !lstatSync(destination).isFile()) {
    throw new FailedError(`Refusing to write ${relative}: it exists and is not a regular file.`);
  }
}

/** Existing directory: each file goes to a temporary name beside it and is renamed over, so none is half-written. */
async function writeIntoExisting(directory: string, files: readonly PlannedFile[]): Promise<string[]> {
  const root = realpathSync(directory);
  for (const file of files) assertStaysInside(root, file.path);
  const overwritten: string[] = [];
  for (const file of files) {
    const destination = path.join(root, file.path);
    if (exists(destination)) overwritten.push(file.path);
    mkdirSync(path.dirname(destination), { recursive: true });
    const temporary = temporaryName(destination);
    await guardAgainstInterrupt(
      () => rmSync(temporary, { force: true }),
      async () => {
        try {
          writeFileSync(temporary, file.contents, { flag: "wx" });
          renameSync(temporary, destination);
        } catch (error) {
          rmSync(temporary, { force: true });
          throw error;
        }
      },
    );
  }
  return overwritten;
}

/** What stands in the way of writing `files` into `directory` without --force; empty when nothing does. */
export async function findConflicts(directory: string, files: readonly PlannedFile[]): Promise<string[]> {
  const entries = entriesOf(directory);
  if (!entries || entries.length === 0) return [];
  const overwrites = [...new Set(files.map((file) => file.path))].filter((file) => exists(path.join(directory, file)));
  return overwrites.length > 0 ? overwrites : entries;
}

export async function writePackage(
  directory: string,
  files: readonly PlannedFile[],
  options: { force: boolean },
): Promise<WriteResult> {
  for (const file of files) assertSafeRelativePath(file.path);
  const written = files.map((file) => file.path);
  const entries = entriesOf(directory);
  if (entries === undefined) {
    await writeNewDirectory(directory, files);
    return { directory, written, overwritten: [] };
  }
  if (entries.length > 0 && !options.force) {
    const conflicts = await findConflicts(directory, files);
    const overlap = conflicts.some((entry) => written.includes(entry));
    throw new FailedError(
      `${directory} is not empty (${overlap ? "would overwrite" : "contains"}: ${preview(conflicts)}).\n` +
        "Choose a new directory, or pass --force to write the package's files into it " +
        "(files with the same names are replaced; nothing is deleted).",
    );
  }
  const overwritten = await writeIntoExisting(directory, files);
  return { directory, written, overwritten };
}
