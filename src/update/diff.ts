/**
 * Unified diffs of what `update` would do to each file (for --dry-run and --json), from the file on disk to
 * the file as it would be written: `after` null means the file is removed, undefined that it is not touched.
 */
import { fileDiff } from "../write/file-diff.js";

export async function unifiedDiff(file: string, before: Buffer | undefined, after: Buffer | null | undefined): Promise<string> {
  if (after === undefined) return "";
  const labels = { old: before === undefined ? "/dev/null" : `a/${file}`, new: after === null ? "/dev/null" : `b/${file}` };
  return fileDiff(before, after ?? undefined, labels);
}
