/**
 * What the fetchers share: their result, the offline miss, their scratch folder, how a fetched archive
 * enters the cache, and how a failed command is described.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { FailedError } from "../errors.js";
import type { RunResult } from "../system/run-command.js";
import { guardAgainstInterrupt, pauseForTest } from "../system/interrupt.js";
import { readPackTree } from "./pack-tree.js";
import { assertPrivateCache, hashFiles, makeCacheFolder, moveIntoCache, writeRecordedHash } from "./cache.js";
import { redactSource } from "./source-spec.js";
import { readArchive, UnsafeArchiveError, writeEntries } from "./tarball.js";

export interface Fetched {
  /** The unpacked pack in the cache. */
  root: string;
  /** An npm version or a git commit. */
  resolved: string;
  fromCache: boolean;
}

export function offlineMiss(given: string, cacheRoot: string): never {
  throw new FailedError(
    `--offline: the template pack "${given}" is not in the cache (${cacheRoot}). ` +
      "Run once without --offline to fetch it, then --offline works from the cache.",
  );
}

/**
 * Runs `work` in a fresh scratch folder inside the cache (same file system, so the move into it is a
 * rename), removed after, and on Ctrl-C too (a killed clone must not leave hundreds of MB behind).
 */
export async function inScratchFolder<T>(cacheRoot: string, prefix: string, work: (folder: string) => Promise<T>): Promise<T> {
  const temporary = path.join(cacheRoot, "tmp");
  makeCacheFolder(temporary);
  assertPrivateCache(cacheRoot, temporary);
  let folder: string;
  try {
    folder = mkdtempSync(path.join(temporary, `${prefix}-`));
  } catch (error) {
    throw new FailedError(
      `The pack cache cannot be written: ${temporary} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Make it writable or point CREATE_MIDDLEWARE_CACHE at a folder of your own.`,
    );
  }
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    return await guardAgainstInterrupt(remove, async () => {
      await pauseForTest("fetch");
      return await work(folder);
    });
  } finally {
    remove();
  }
}

/** Unpacks a fetched tar archive through the checked reader into the cache at `destination`, unless it is there already. */
export function unpackIntoCache(given: string, archive: Buffer, scratch: string, destination: string): void {
  if (existsSync(destination)) return;
  let entries;
  try {
    entries = readArchive(archive);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw error;
    throw new FailedError(`Could not unpack the template pack "${given}": ${(error as Error).message}.`);
  }
  const unpacked = path.join(scratch, "unpacked");
  writeEntries(entries, unpacked);
  // Recorded before the folder appears, from the files as a later run will read them (load-pack.ts).
  const tree = readPackTree(unpacked, `Template pack "${given}"`);
  writeRecordedHash(destination, hashFiles(tree.files, tree.executable));
  moveIntoCache(unpacked, destination);
}

/** The cause of a failed fetch command in a line or a few: its last lines of output. */
export function describeFailure(run: RunResult, program: string): string {
  if (run.failure === "not-found") return `${program} is not installed or not on PATH.`;
  // The command line holds the source (a URL may carry a token), and so may the tool's output.
  const command = redactSource(run.command);
  if (run.failure === "timed-out") return `\`${command}\` did not finish in time.`;
  const tail = run.output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(-4)
    .join("\n  ");
  return redactSource(`\`${command}\` failed${run.exitCode === undefined ? "" : ` (exit ${run.exitCode})`}${tail ? `:\n  ${tail}` : "."}`);
}
