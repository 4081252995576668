/**
 * What `check --snapshot <dir>` may trust in `<dir>` before it reads or writes anything (docs/check.md,
 * "What --update may touch"). The folder is untrusted input (a cloned repository, a wrong path):
 * - it must be a folder, and hold no symbolic link, no pipe, socket or device and no file over the size
 *   cap at any depth, in read and write mode alike, so --update cannot stop half-way over one: a link would let a diff print, or `--update` overwrite or delete, files outside it;
 * - `--update` deletes or rewrites only combination folders that `check` provably wrote: each holds the
 *   marker file SNAPSHOT_MARKER, written by `--update`. A folder from before the marker existed is adopted
 *   only when its own answers file records exactly the combination its name says and it holds no `.git`
 *   or `node_modules` (a package someone works in); anything else is refused, naming it.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { validateAnswersFile } from "../answers/answers-file.js";
import { UsageError } from "../errors.js";
import { readUserFile, USER_FILE_LIMIT } from "../system/read-user-file.js";
import { combination } from "./matrix.js";

/** The marker in each combination folder `--update` writes: only folders holding it are ever deleted. */
export const SNAPSHOT_MARKER = ".create-middleware-snapshot";
export const SNAPSHOT_MARKER_TEXT =
  "This folder is a snapshot written by `create-middleware check --snapshot <dir> --update`.\n" +
  "A later --update rewrites it, or deletes it when no combination renders into it any more.\n";

/** More than any snapshot folder holds (the whole built-in matrix is ~300 entries); stops a walk of `/`. */
const SNAPSHOT_ENTRY_LIMIT = 100_000;

interface SnapshotFolderEntry {
  /** It holds the marker: written by --update. */
  marked: boolean;
  /** Without the marker: why --update may not adopt it; undefined when it may. */
  notAdoptable: string | undefined;
}

/** The folders at the top of the snapshot folder, by name; undefined when the snapshot folder does not exist. */
export type SnapshotFolder = Map<string, SnapshotFolderEntry> | undefined;

const ANSWERS_FILE = ".create-middleware.json";

/**
 * Checks the whole snapshot folder at `directory` (absolute). Throws UsageError (exit 2), naming the path,
 * for a file where the folder should be, a link, a special file, or too many entries.
 */
export function inspectSnapshotFolder(directory: string, given: string): SnapshotFolder {
  const info = statSync(directory, { throwIfNoEntry: false });
  if (info === undefined) return undefined;
  if (!info.isDirectory()) {
    throw new UsageError(
      `--snapshot ${JSON.stringify(given)} is a file, not a folder. Give the folder that holds (or will hold) the snapshots, one sub-folder per combination.`,
    );
  }
  const refuse = (relative: string, problem: string): never => {
    throw new UsageError(
      `The snapshot folder ${directory} ${problem}: ${relative}. It may hold only the folders and files check writes; remove it. Nothing was read or written.`,
    );
  };
  let count = 0;
  const walk = (relativeDir: string, found: { worked: boolean }): void => {
    for (const entry of readdirSync(path.join(directory, relativeDir), { withFileTypes: true })) {
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (++count > SNAPSHOT_ENTRY_LIMIT) {
        throw new UsageError(
          `The snapshot folder ${directory} holds more than ${SNAPSHOT_ENTRY_LIMIT} entries; is --snapshot pointing at the right folder? Nothing was written.`,
        );
      }
      if (entry.isSymbolicLink()) refuse(relative, "holds a symbolic link, which check never follows (it could lead outside the folder)");
      if (entry.isDirectory()) {
        if (entry.name === ".git" || entry.name === "node_modules") found.worked = true;
        walk(relative, found);
      } else if (!entry.isFile()) refuse(relative, "holds something that is not a regular file (a pipe, socket or device)");
      else if (lstatSync(path.join(directory, relative)).size > USER_FILE_LIMIT)
        refuse(relative, `holds a file larger than ${USER_FILE_LIMIT / 1024 / 1024} MB, which no template renders`);
    }
  };

  const folders = new Map<string, SnapshotFolderEntry>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    count += 1;
    if (entry.isSymbolicLink()) refuse(entry.name, "holds a symbolic link, which check never follows (it could lead outside the folder)");
    if (!entry.isDirectory()) {
      if (!entry.isFile()) refuse(entry.name, "holds something that is not a regular file (a pipe, socket or device)");
      continue;
    }
    const found = { worked: false };
    walk(entry.name, found);
    const marked = lstatSync(path.join(directory, entry.name, SNAPSHOT_MARKER), { throwIfNoEntry: false })?.isFile() ?? false;
    folders.set(entry.name, {
      marked,
      notAdoptable: marked ? undefined : whyNotAdoptable(path.join(directory, entry.name), entry.name, found.worked),
    });
  }
  return folders;
}

/** A folder without the marker may be adopted only when it is provably a snapshot of the combination it is named after. */
function whyNotAdoptable(folder: string, name: string, worked: boolean): string | undefined {
  if (worked) return "it holds .git or node_modules, so it is a package someone works in";
  const bytes = readUserFile(path.join(folder, ANSWERS_FILE), { what: "The snapshot's answers file", noLinks: true });
  if (bytes === undefined) return `it has no ${ANSWERS_FILE}`;
  let recorded;
  try {
    recorded = validateAnswersFile(JSON.parse(bytes.toString("utf8")), path.join(folder, ANSWERS_FILE)).answers;
  } catch {
    return `its ${ANSWERS_FILE} is not one check wrote`;
  }
  const own = combination(recorded.target as never, recorded.schema as never, recorded.starter ?? "");
  if (own.slug !== name || recorded.packageName !== own.packageName) return `its ${ANSWERS_FILE} records another package (${recorded.packageName})`;
  return undefined;
}
