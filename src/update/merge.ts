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
 * The engine is `git merge-file` itself (spawned through run-command.ts; update needs git anyway), so a
 * merge gives exactly what git gives: its zealous conflict refinement merges cases a plain diff3 leaves as
 * conflicts (a line split in two beside a user's edit), and shrinks a conflict to the lines that really
 * differ (both sides added the same file). One rule on top of git's: a side whose change is whitespace
 * only never makes a conflict. git 2.39 reads only files, so the three versions go into a
 * private scratch folder in the system's temporary folder, removed straight after.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FailedError } from "../errors.js";
import { gitEnvironment } from "../system/git.js";
import { runCommand } from "../system/run-command.js";

const CONFLICT_START = "<<<<<<< yours";

export interface TextMerge {
  text: string;
  /** How many conflicting regions carry markers; 0 is a clean merge. */
  conflicts: number;
}

/** Lines with their line endings kept, so a merge gives back exactly the bytes it was given. */
function splitLines(text: string): string[] {
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

/** The labels git writes after the markers: "<<<<<<< yours", ">>>>>>> template". */
const LABELS = ["-L", "yours", "-L", "base", "-L", "template"];

/** `git merge-file -p` on three texts: the merged text and git's exit code (the number of conflicts, capped). */
async function gitMergeFile(yours: string, base: string, template: string, env?: NodeJS.ProcessEnv): Promise<{ text: string; exitCode: number }> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "create-middleware-merge-"));
  try {
    await Promise.all([
      writeFile(path.join(scratch, "yours"), yours, { mode: 0o600 }),
      writeFile(path.join(scratch, "base"), base, { mode: 0o600 }),
      writeFile(path.join(scratch, "template"), template, { mode: 0o600 }),
    ]);
    // The default conflict style whatever the user's merge.conflictStyle: the markers are ours to describe.
    const result = await runCommand(
      { command: "git", args: ["-c", "merge.conflictStyle=merge", "merge-file", "-p", ...LABELS, "yours", "base", "template"] },
      { cwd: scratch, env: gitEnvironment(env), bytes: true },
    );
    if (result.failure === "not-found") {
      throw new FailedError(
        "update merges files changed on both sides with git (git merge-file), and git was not found on PATH. Install git, then run update again.",
      );
    }
    const exitCode = result.exitCode ?? 255;
    if (result.failure === "stopped" || exitCode < 0 || exitCode > 127 || !result.stdoutBytes) {
      throw new FailedError(`git merge-file failed: ${result.output.trim().split("\n").pop() ?? `exit code ${exitCode}`}`);
    }
    return { text: result.stdoutBytes.toString("utf8"), exitCode };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A text with its whitespace ignored: what a reformatting (indentation, trailing spaces, blank lines) leaves equal. */
const withoutWhitespace = (text: string) => text.replace(/\s+/g, "");

export async function mergeText(yours: string, base: string, template: string, env?: NodeJS.ProcessEnv): Promise<TextMerge> {
  if (yours === base || yours === template) return { text: template, conflicts: 0 };
  if (template === base) return { text: yours, conflicts: 0 };
  const merged = await gitMergeFile(yours, toLineEndingsOf(yours, base), toLineEndingsOf(yours, template), env);
  // git's exit code is the number of conflicts, up to 127; past that, count the markers of its output.
  const conflicts =
    merged.exitCode < 127 ? merged.exitCode : splitLines(merged.text).filter((line) => line.replace(/\r?\n$/, "") === CONFLICT_START).length;
  if (conflicts > 0) {
    // A whitespace-only edit on one side never makes a conflict: the other side's real change is taken
    // whole (a file of yours only reformatted gets the template's version; a template that only reformatted
    // leaves yours as it is).
    if (withoutWhitespace(yours) === withoutWhitespace(base) || withoutWhitespace(yours) === withoutWhitespace(template))
      return { text: template, conflicts: 0 };
    if (withoutWhitespace(template) === withoutWhitespace(base)) return { text: yours, conflicts: 0 };
  }
  return { text: merged.text, conflicts };
}

/** Whether a file still holds conflict markers as this module writes them (a line starting a conflict). */
export function hasConflictMarkers(text: string): boolean {
  return splitLines(text).some((line) => line.replace(/\r?\n$/, "") === CONFLICT_START);
}

/**
 * Whether a text holds a conflict left unresolved, as any merge tool writes it: a "<<<<<<<" line, then a
 * "=======" line, then a ">>>>>>>" line (whatever the labels). Merging over one would nest the markers.
 */
export function hasUnresolvedConflict(text: string): boolean {
  let stage = 0;
  for (const line of splitLines(text)) {
    const bare = line.replace(/\r?\n$/, "");
    if (stage === 0 && /^<{7}(?: |$)/.test(bare)) stage = 1;
    else if (stage === 1 && bare === "=======") stage = 2;
    else if (stage === 2 && /^>{7}(?: |$)/.test(bare)) return true;
  }
  return false;
}
