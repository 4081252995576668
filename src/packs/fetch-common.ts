/** What the fetchers share: their result, the offline miss, and how a failed command is described. */
import { FailedError } from "../errors.js";
import type { RunResult } from "../run-command.js";

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

/** The cause of a failed fetch command in a line or a few: its last lines of output. */
export function describeFailure(run: RunResult, program: string): string {
  if (run.failure === "not-found") return `${program} is not installed or not on PATH.`;
  if (run.failure === "timed-out") return `\`${run.command}\` did not finish in time.`;
  const tail = run.output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(-4)
    .join("\n  ")
    .replace(/(:\/\/)[^@\s/]+@/g, "$1"); // a URL's credentials, should the tool print them
  return `\`${run.command}\` failed${run.exitCode === undefined ? "" : ` (exit ${run.exitCode})`}${tail ? `:\n  ${tail}` : "."}`;
}
