/**
 * What `update` does to each file, decided in memory from three versions of the package: the pristine
 * render the package started from (base), the render as it would be now (template), and the files on disk
 * (yours). Nothing here reads or writes the package: a text file changed on both sides is merged by
 * `git merge-file` (merge.ts).
 *
 * | base | template | yours                 | status    | what happens                                     |
 * |------|----------|-----------------------|-----------|--------------------------------------------------|
 * | B    | B        | any                   | unchanged | the template did not change it: yours stays      |
 * | B    | T        | B (never touched)     | updated   | replaced by T                                    |
 * | B    | T        | T (already there)     | unchanged |                                                  |
 * | B    | T        | Y (yours changed)     | merged    | three-way merge, clean                           |
 * | B    | T        | Y                     | conflict  | merged with conflict markers (exit 1)            |
 * | B    | T        | missing (you deleted) | unchanged | stays deleted                                    |
 * | none | T        | missing               | added     | written                                          |
 * | none | T        | Y                     | merged / conflict / unchanged (a file of yours is in the way: merged against an empty base) |
 * | B    | none     | B                     | removed   | deleted: you never changed it                    |
 * | B    | none     | Y or missing          | unchanged | kept: you changed (or already deleted) it        |
 *
 * The answers file is the record of the update itself: it always takes the template's version.
 * A binary file (or one that is not UTF-8) is never merged: if both sides changed it, it is a conflict and
 * your copy stays as it is.
 */
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { isText } from "../write/file-diff.js";
import { mergeText } from "./merge.js";

export type UpdateStatus = "unchanged" | "updated" | "merged" | "conflict" | "added" | "removed";

export interface FileUpdate {
  path: string;
  status: UpdateStatus;
  /** Bytes to write; null to delete the file; undefined to leave it as it is. */
  contents: Buffer | null | undefined;
  /** Why, when the status alone does not say it ("you deleted it; it stays deleted"). */
  note?: string;
  /** The file on disk now (undefined when there is none); what a diff starts from. */
  current: Buffer | undefined;
  /** For a conflict: the three versions, recorded as unmerged in the git index (unmerged.ts). */
  sides?: { base: Buffer | undefined; yours: Buffer; template: Buffer };
  /** Set (true) or clear (false) the file's executable bits as it is written (modes.ts); absent: its mode stays. */
  executable?: boolean;
}

/** The three versions of the package, path -> bytes. `yours` maps a path that is not a regular file to null. */
export interface UpdateInputs {
  base: ReadonlyMap<string, Buffer>;
  template: ReadonlyMap<string, Buffer>;
  yours: ReadonlyMap<string, Buffer | null>;
  /** The environment git merges in (tests point it at a throwaway configuration). */
  env?: NodeJS.ProcessEnv;
}

const same = (a: Buffer | undefined | null, b: Buffer | undefined | null) => a != null && b != null && a.equals(b);

async function classifyOne(file: string, inputs: UpdateInputs): Promise<FileUpdate> {
  const base = inputs.base.get(file);
  const template = inputs.template.get(file);
  const yours = inputs.yours.get(file);
  const current = yours ?? undefined;
  const leave = (status: UpdateStatus, note?: string): FileUpdate => ({
    path: file,
    status,
    contents: undefined,
    current,
    ...(note ? { note } : {}),
  });

  if (yours === null)
    return leave(
      template === undefined || same(base, template) ? "unchanged" : "conflict",
      "not a regular file inside the package (a link, a folder, or reached through a link leading out): left alone",
    );
  if (file === ANSWERS_FILE && template !== undefined) {
    return same(yours, template) ? leave("unchanged") : { path: file, status: "updated", contents: template, current };
  }

  if (template === undefined) {
    if (base === undefined || yours === undefined) return leave("unchanged");
    if (same(yours, base)) return { path: file, status: "removed", contents: null, current };
    return leave("unchanged", "the template no longer has this file; kept because you changed it");
  }
  if (yours === undefined) {
    if (base === undefined) return { path: file, status: "added", contents: template, current };
    return leave("unchanged", same(base, template) ? "you deleted it" : "you deleted it, so it stays deleted, though the template changed it");
  }
  if (same(yours, template)) return leave("unchanged");
  if (base !== undefined && same(base, template)) return leave("unchanged");
  if (base !== undefined && same(yours, base)) return { path: file, status: "updated", contents: template, current };

  // Both sides changed it (or the template adds a file where one of yours is): merge.
  const baseBytes = base ?? Buffer.alloc(0);
  if (!isText(yours) || !isText(template) || !isText(baseBytes)) {
    return {
      ...leave("conflict", "a binary file changed on both sides: yours is kept; take the template's by hand"),
      sides: { base, yours, template },
    };
  }
  const merged = await mergeText(yours.toString("utf8"), baseBytes.toString("utf8"), template.toString("utf8"), inputs.env);
  const contents = Buffer.from(merged.text, "utf8");
  if (merged.conflicts > 0) {
    return {
      path: file,
      status: "conflict",
      contents,
      current,
      note: `${merged.conflicts} conflicting ${merged.conflicts === 1 ? "region" : "regions"}`,
      sides: { base, yours, template },
    };
  }
  if (contents.equals(yours)) return leave("unchanged");
  return { path: file, status: "merged", contents, current };
}

/** Every path of the three versions, classified; in path order (code points, locale-independent). */
export async function classifyUpdate(inputs: UpdateInputs): Promise<FileUpdate[]> {
  const paths = [...new Set([...inputs.base.keys(), ...inputs.template.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const updates: FileUpdate[] = [];
  for (const file of paths) updates.push(await classifyOne(file, inputs));
  return updates;
}

/** Files the user has to resolve by hand. */
export function conflictedFiles(updates: readonly FileUpdate[]): string[] {
  return updates.filter((update) => update.status === "conflict").map((update) => update.path);
}
