/**
 * Unified diffs (the format `git diff` prints) of a file's two versions, shared by `check --snapshot` and
 * `update --dry-run`. jsdiff is loaded only when a diff is printed; a binary file gets git's one-line note.
 */

export interface DiffLabels {
  /** "a/src/index.ts", or "/dev/null" for a file that did not exist */
  old: string;
  /** "b/src/index.ts", or "/dev/null" for a file that is gone */
  new: string;
}

/** UTF-8 text without NUL bytes: what can be diffed and merged line by line. */
export function isText(contents: Buffer): boolean {
  if (contents.includes(0)) return false;
  return Buffer.from(contents.toString("utf8"), "utf8").equals(contents);
}

/**
 * The unified diff turning `before` into `after` (undefined: the file is absent on that side), with
 * `context` lines around each change; "" when nothing changed.
 */
export async function fileDiff(before: Buffer | undefined, after: Buffer | undefined, labels: DiffLabels, context = 3): Promise<string> {
  const old = before ?? Buffer.alloc(0);
  const next = after ?? Buffer.alloc(0);
  if (old.equals(next) && (before === undefined) === (after === undefined)) return "";
  if (!isText(old) || !isText(next)) return `Binary files ${labels.old} and ${labels.new} differ\n`;
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import("diff");
  return createTwoFilesPatch(labels.old, labels.new, old.toString("utf8"), next.toString("utf8"), undefined, undefined, {
    context,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
