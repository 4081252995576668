/**
 * The three-way merge of one text file: the user's copy ("yours"), the pristine render it started from
 * ("base") and the new render ("template"). Line based; a change on one side only is taken, the same change
 * on both sides is taken once, and different changes to the same lines become a conflict written with the
 * standard markers:
 *
 *     <<<<<<< yours
 *     (your lines)
 *     =======
 *     (the template's lines)
 *     >>>>>>> template
 *
 * The engine is node-diff3 (GNU diff3's algorithm, as Khanna, Kunal and Pierce formalised it), a small,
 * well-kept library loaded only when an update merges something. It runs in memory and is a pure function
 * (unit-tested, including a seeded random-edit test); `git merge-file` would need the three versions as
 * files on disk (outside the package), one process per file, and git even for packages without a
 * repository.
 */

export const CONFLICT_START = "<<<<<<< yours";
export const CONFLICT_SEPARATOR = "=======";
export const CONFLICT_END = ">>>>>>> template";

export interface TextMerge {
  text: string;
  /** How many conflicting regions carry markers; 0 is a clean merge. */
  conflicts: number;
}

/** Lines with their line endings kept, so a merge gives back exactly the bytes it was given. */
export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}


/**
 * A user who converted the file to CRLF line endings must not see every line as changed: the base and the
 * template get the user's line endings before merging.
 */
function toLineEndingsOf(yours: string, text: string): string {
  const crlf = (yours.match(/\r\n/g) ?? []).length;
  const lf = (yours.match(/\n/g) ?? []).length;
  if (crlf === 0 || crlf !== lf) return text;
  return text.replace(/\r?\n/g, "\r\n");
}

/** Conflict sides end with a line break, so the markers always start a line. */
function block(lines: readonly string[]): string {
  const text = lines.join("");
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

export async function mergeText(yours: string, base: string, template: string): Promise<TextMerge> {
  if (yours === base || yours === template) return { text: template, conflicts: 0 };
  if (template === base) return { text: yours, conflicts: 0 };
  const { diff3Merge } = await import("node-diff3");
  const regions = diff3Merge(
    splitLines(yours),
    splitLines(toLineEndingsOf(yours, base)),
    splitLines(toLineEndingsOf(yours, template)),
    // The same change made on both sides is no conflict.
    { excludeFalseConflicts: true },
  );
  let text = "";
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      text += region.ok.join("");
    } else if (region.conflict) {
      conflicts += 1;
      text += `${CONFLICT_START}\n${block(region.conflict.a)}${CONFLICT_SEPARATOR}\n${block(region.conflict.b)}${CONFLICT_END}\n`;
    }
  }
  return { text, conflicts };
}

/** Whether a file still holds conflict markers as this module writes them (a line starting a conflict). */
export function hasConflictMarkers(text: string): boolean {
  return splitLines(text).some((line) => line.replace(/\r?\n$/, "") === CONFLICT_START);
}
