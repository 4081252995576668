/**
 * Reading a template pack, which is untrusted input (a team may fetch it from a registry or a git host):
 * every pack source, a local folder or one a fetcher unpacked, is read through `readPackTree`, once, into
 * memory. The rules (docs/templates.md, "Packs are untrusted"):
 * - no symbolic link anywhere in the pack, file or folder, at any depth: it is refused, named, before
 *   anything is read through it, so a pack can never pull `~/.ssh` or `/etc` into a package;
 * - nothing outside the pack's real root is read: folders are re-checked against the real root as they are
 *   walked, and files are opened with O_NOFOLLOW, so a link swapped in mid-walk is refused too;
 * - only regular files and folders: a FIFO or a device would hang or stream forever, so it is refused;
 * - a size cap, so a pack cannot exhaust memory.
 * A `.git` folder at the pack's root (a pack that is a git checkout) is skipped, not read.
 */
import { lstatSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { readUserFile, UserFileError } from "../system/read-user-file.js";

export interface PackTree {
  /** The pack's real root (symbolic links in the path the user gave are resolved once, here). */
  root: string;
  /** Every file of the pack, by path relative to the root with forward slashes ("base/README.md.hbs"). */
  files: ReadonlyMap<string, Buffer>;
  /**
   * The files whose mode has an executable bit (`bin/run.sh`): the package gets them executable (0755). Only
   * this one bit of a pack's modes is ever kept, never setuid, setgid, sticky or write permissions.
   */
  executable?: ReadonlySet<string>;
}

/** Generous for a pack of templates (the built-in ones are ~100 kB), small enough to keep in memory. */
export const PACK_SIZE_LIMIT = 32 * 1024 * 1024;
const PACK_FILE_LIMIT = 5_000;

function refuse(label: string, problem: string): never {
  throw new UsageError(`${label} ${problem}`);
}

const isInside = (root: string, candidate: string) => candidate === root || candidate.startsWith(root + path.sep);

/**
 * Reads the whole pack at `root` into memory, refusing symbolic links and anything that is not a regular
 * file or folder, each named by its path inside the pack. `label` names the pack in messages
 * (`Template pack "./pk"`). Throws UsageError (exit 2).
 */
export function readPackTree(root: string, label = `Template pack "${root}"`): PackTree {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    refuse(label, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  let total = 0;

  const walk = (relativeDir: string): void => {
    const absoluteDir = path.join(realRoot, relativeDir);
    // A folder replaced by a link after its parent was listed resolves elsewhere: refuse it.
    let realDir: string;
    try {
      realDir = realpathSync(absoluteDir);
    } catch (error) {
      refuse(label, `changed while it was read (${relativeDir || "."}: ${(error as NodeJS.ErrnoException).code}).`);
    }
    if (realDir !== absoluteDir || !isInside(realRoot, realDir)) {
      refuse(label, `has a folder that leads outside it: ${relativeDir}. Packs may not contain symbolic links.`);
    }
    const entries = readdirSync(absoluteDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (relativeDir === "" && entry.name === ".git" && entry.isDirectory()) continue;
      if (entry.isSymbolicLink()) {
        refuse(label, `contains a symbolic link: ${relative}. Packs may not contain symbolic links; put the files themselves in the pack.`);
      }
      if (entry.isDirectory()) {
        walk(relative);
        continue;
      }
      if (!entry.isFile()) refuse(label, `contains ${relative}, which is neither a file nor a folder (a pipe, socket or device).`);
      files.set(relative, readRegularFile(label, path.join(absoluteDir, entry.name), relative, PACK_SIZE_LIMIT - total));
      // Only whether it is executable; read after the checked read, so a swapped file is already refused.
      if (((lstatSync(path.join(absoluteDir, entry.name), { throwIfNoEntry: false })?.mode ?? 0) & 0o111) !== 0) executable.add(relative);
      total += files.get(relative)!.length;
      if (files.size > PACK_FILE_LIMIT) refuse(label, `has more than ${PACK_FILE_LIMIT} files; is it really a template pack?`);
      if (total > PACK_SIZE_LIMIT) refuse(label, `is larger than ${PACK_SIZE_LIMIT / 1024 / 1024} MB; is it really a template pack?`);
    }
  };
  walk("");
  return { root: realRoot, files, executable };
}

/**
 * Reads one file without following a link in its last segment, only if it is still a regular file and
 * fits in what is left of the pack's budget (read-user-file.ts: the rule for every untrusted file).
 */
function readRegularFile(label: string, file: string, relative: string, budget: number): Buffer {
  try {
    return (
      readUserFile(file, { what: `${label} has the file`, noLinks: true, limit: budget }) ??
      refuse(label, `changed while it was read (${relative} is gone).`)
    );
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    if (error.reason === "link")
      refuse(label, `contains a symbolic link: ${relative}. Packs may not contain symbolic links; put the files themselves in the pack.`);
    if (error.reason === "not-regular") refuse(label, `contains ${relative}, which is not a regular file.`);
    if (error.reason === "too-large")
      refuse(label, `is larger than ${PACK_SIZE_LIMIT / 1024 / 1024} MB (at ${relative}); is it really a template pack?`);
    throw error;
  }
}

/** The executable files of one folder of the tree, by path relative to that folder (see `packFolder`). */
export function packFolderExecutables(tree: PackTree, folder: string): Set<string> {
  const prefix = `${folder}/`;
  return new Set([...(tree.executable ?? [])].filter((relative) => relative.startsWith(prefix)).map((relative) => relative.slice(prefix.length)));
}

/** The files of one folder of the tree ("base", "schemas/zod"), by path relative to that folder. */
export function packFolder(tree: PackTree, folder: string): Map<string, Buffer> {
  const prefix = `${folder}/`;
  const files = new Map<string, Buffer>();
  for (const [relative, contents] of tree.files) if (relative.startsWith(prefix)) files.set(relative.slice(prefix.length), contents);
  return files;
}
