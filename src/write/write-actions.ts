/**
 * What writing a package into a directory would do, per file: one pure decision shared by the real write
 * (write.ts) and by `--dry-run`, so the dry run can never promise something the real run refuses.
 *
 * - A missing or empty directory: every file is "create".
 * - A non-empty directory without `force`: refused, naming the files that would be
 *   overwritten, or else what the directory holds; the per-file actions still say what `--force` would do.
 * - With `force`: "create" for a new path, "identical" for a file whose bytes already match (left
 *   untouched, and not reported as replaced), "replace" for anything else at that path.
 *
 * `readTargetState` gathers the facts from disk (reads only); `decideWrite` is the pure part.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { FailedError } from "../errors.js";
import { readUserFile } from "../system/read-user-file.js";

type WriteAction = "create" | "identical" | "replace";

export interface TargetState {
  /** The directory exists (as a directory). */
  exists: boolean;
  /** Its top-level entries, sorted. */
  entries: string[];
  /** For each planned path that exists: its bytes when it is a regular file, else null. */
  existing: Map<string, Buffer | null>;
}

export interface WriteDecision {
  actions: { path: string; action: WriteAction }[];
  /** Set when the write must be refused (a non-empty directory without force). */
  refusal: { conflicts: string[]; overlap: boolean } | undefined;
}

export function decideWrite(files: readonly { path: string; contents: Buffer }[], state: TargetState, options: { force: boolean }): WriteDecision {
  const actions = files.map((file) => {
    const current = state.existing.get(file.path);
    const action: WriteAction = current === undefined ? "create" : current?.equals(file.contents) ? "identical" : "replace";
    return { path: file.path, action };
  });
  if (!state.exists || state.entries.length === 0 || options.force) return { actions, refusal: undefined };
  const overwrites = [...new Set(files.map((file) => file.path))].filter((file) => state.existing.has(file));
  return { actions, refusal: { conflicts: overwrites.length > 0 ? overwrites : state.entries, overlap: overwrites.length > 0 } };
}

function entriesOf(directory: string): string[] | undefined {
  try {
    if (!statSync(directory).isDirectory()) throw new FailedError(`${directory} exists and is not a directory. Choose another name.`);
    return readdirSync(directory).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Reads what is at each planned path (nothing is followed out of the directory: lstat, regular files only). */
export function readTargetState(directory: string, files: readonly { path: string }[]): TargetState {
  const entries = entriesOf(directory);
  const existing = new Map<string, Buffer | null>();
  if (entries === undefined || entries.length === 0) return { exists: entries !== undefined, entries: entries ?? [], existing };
  for (const file of files) {
    // A path the file system cannot even look at (too long, a file where a folder should be) holds nothing
    // to replace; writing it fails later with a message that names it.
    let info;
    try {
      info = lstatSync(path.join(directory, file.path), { throwIfNoEntry: false });
    } catch {
      info = undefined;
    }
    // A pipe or device stays null (never opened); a regular file is read under the size cap, never through
    // a link swapped in after the lstat (read-user-file.ts).
    if (info)
      existing.set(
        file.path,
        info.isFile() ? (readUserFile(path.join(directory, file.path), { what: "The existing file", noLinks: true }) ?? null) : null,
      );
  }
  return { exists: true, entries, existing };
}

function preview(items: string[], limit = 10): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

/** The refusal as the user reads it, the same words for the real run and the dry run. */
export function refusalMessage(directory: string, refusal: NonNullable<WriteDecision["refusal"]>): string {
  return (
    `${directory} is not empty (${refusal.overlap ? "would overwrite" : "contains"}: ${preview(refusal.conflicts)}).\n` +
    "Choose a new directory, or pass --force to write the package's files into it " +
    "(files with the same names are replaced; nothing is deleted)."
  );
}
