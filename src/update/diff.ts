/**
 * Unified diffs of what `update` would do to each file (for --dry-run and --json), from the file on disk to
 * the file as it would be written. jsdiff is loaded only when a diff is shown.
 */
import { isText } from "./merge.js";

export async function unifiedDiff(file: string, before: Buffer | undefined, after: Buffer | null | undefined): Promise<string> {
  if (after === undefined) return "";
  const old = before ?? Buffer.alloc(0);
  const next = after ?? Buffer.alloc(0);
  if (old.equals(next) && before !== undefined && after !== null) return "";
  const from = before === undefined ? "/dev/null" : `a/${file}`;
  const to = after === null ? "/dev/null" : `b/${file}`;
  if (!isText(old) || !isText(next)) return `Binary files ${from} and ${to} differ\n`;
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import("diff");
  return createTwoFilesPatch(from, to, old.toString("utf8"), next.toString("utf8"), undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
