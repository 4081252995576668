/**
 * The only module that writes the target directory (DESIGN.md §4):
 * - a new directory is written as a temporary sibling and renamed into place, so an interrupted or failed
 *   run leaves nothing behind;
 * - a non-empty directory is refused, listing the conflicts, unless `force`; `force` writes only the
 *   package's files, each atomically, and never deletes anything;
 * - no file may land outside the directory, through `..` or through a symbolic link.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { lstat, mkdir, readdir, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
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

async function entriesOf(directory: string): Promise<string[] | undefined> {
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) throw new FailedError(`${directory} exists and is not a directory. Choose another name.`);
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

function preview(items: string[], limit = 10): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

/** Into a fresh staging directory: folders first, then the files (nothing there to collide with). */
function writeAll(root: string, files: readonly PlannedFile[]): void {
  const folders = [...new Set(files.map((file) => path.dirname(path.join(root, file.path))))];
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(path.join(root, file.path), file.contents, { flag: "wx" });
}

/**
 * New directory: write a hidden sibling, then rename it into place in one step. Synchronous: a package is a
 * few dozen small files, and one pass of system calls beats a thread-pool round trip per file. The guard
 * still matters: with its handler installed, a Ctrl-C waits for this step to finish or undo itself instead
 * of killing the process with a staging folder left behind.
 */
async function writeNewDirectory(directory: string, files: readonly PlannedFile[]): Promise<void> {
  const parent = path.dirname(directory);
  mkdirSync(parent, { recursive: true });
  // Not mkdtemp: its 0700 mode would become the package's. mkdir applies the umask and refuses a name in use.
  const staging = path.join(parent, `.${path.basename(directory)}.create-middleware-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
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
async function assertStaysInside(root: string, relative: string): Promise<void> {
  let probe = path.dirname(path.join(root, relative));
  while (!(await exists(probe))) probe = path.dirname(probe);
  const real = await realpath(probe);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new FailedError(`Refusing to write ${relative}: ${path.relative(root, probe)} leads outside ${root}.`);
  }
  const destination = path.join(root, relative);
  if (await exists(destination)) {
    const info = await lstat(destination);
    if (!info.isFile()) throw new FailedError(`Refusing to write ${relative}: it exists and is not a regular file.`);
  }
}

/** Existing directory: each file goes to a temporary name beside it and is renamed over, so none is half-written. */
async function writeIntoExisting(directory: string, files: readonly PlannedFile[]): Promise<string[]> {
  const root = await realpath(directory);
  for (const file of files) await assertStaysInside(root, file.path);
  const { randomBytes } = await import("node:crypto"); // only this path needs it; it costs ms to load
  const overwritten: string[] = [];
  for (const file of files) {
    const destination = path.join(root, file.path);
    if (await exists(destination)) overwritten.push(file.path);
    await mkdir(path.dirname(destination), { recursive: true });
    const temporary = `${destination}.${randomBytes(4).toString("hex")}.tmp`;
    await guardAgainstInterrupt(
      () => rmSync(temporary, { force: true }),
      async () => {
        try {
          await writeFile(temporary, file.contents, { flag: "wx" });
          await rename(temporary, destination);
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
      },
    );
  }
  return overwritten;
}

/** What stands in the way of writing `files` into `directory` without --force; empty when nothing does. */
export async function findConflicts(directory: string, files: readonly PlannedFile[]): Promise<string[]> {
  const entries = await entriesOf(directory);
  if (!entries || entries.length === 0) return [];
  const planned = new Set(files.map((file) => file.path));
  const overwrites: string[] = [];
  for (const file of planned) if (await exists(path.join(directory, file))) overwrites.push(file);
  return overwrites.length > 0 ? overwrites : entries;
}

export async function writePackage(
  directory: string,
  files: readonly PlannedFile[],
  options: { force: boolean },
): Promise<WriteResult> {
  for (const file of files) assertSafeRelativePath(file.path);
  const written = files.map((file) => file.path);
  const entries = await entriesOf(directory);
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
