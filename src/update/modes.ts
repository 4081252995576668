/**
 * The executable bit, followed on update as copier follows it: a pack file that is executable (`bin/run.sh`)
 * is written executable, and when a pack version makes a file executable or stops doing so, the update
 * applies that, unless the user changed the file's bit themselves (then theirs stays, as a line of theirs
 * does). Only this one bit is ever taken from a pack: the write adds or clears x bits on the user's own mode
 * (write-changes.ts), never setuid, setgid, sticky or any write permission.
 *
 * A file whose content is unchanged but whose bit changes is `updated`, with its own bytes and a note.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import type { FileUpdate } from "./classify.js";

export interface ModeInputs {
  directory: string;
  /** The base's files and which of them are executable. */
  base: ReadonlyMap<string, Buffer>;
  baseExecutable: ReadonlySet<string>;
  /** The next render's files and which of them are executable. */
  template: ReadonlyMap<string, Buffer>;
  templateExecutable: ReadonlySet<string>;
  /** The files on disk (null: not a regular file, or outside the package; never touched). */
  yours: ReadonlyMap<string, Buffer | null>;
}

function isExecutableOnDisk(file: string): boolean | undefined {
  const info = lstatSync(file, { throwIfNoEntry: false });
  return info?.isFile() ? (info.mode & 0o111) !== 0 : undefined;
}

const said = (executable: boolean) => (executable ? "made executable by the template" : "no longer executable, as in the template");

export function followModes(files: readonly FileUpdate[], inputs: ModeInputs): FileUpdate[] {
  return files.map((file): FileUpdate => {
    if (!inputs.template.has(file.path) || file.contents === null) return file;
    const template = inputs.templateExecutable.has(file.path);
    const yours = inputs.yours.get(file.path);
    // Written where there is no file (added, or created again): with the template's bit.
    if (yours === undefined) return file.contents !== undefined && template ? { ...file, executable: true } : file;
    // skipIfExists: the user's file from then on, mode included; a folder or a link is never touched.
    if (yours === null || file.note?.startsWith("skipIfExists")) return file;
    // Both added the file: the user's bit is theirs.
    if (!inputs.base.has(file.path)) return file;
    const base = inputs.baseExecutable.has(file.path);
    const onDisk = isExecutableOnDisk(path.join(inputs.directory, file.path));
    if (template === base || onDisk !== base) return file;
    if (file.contents !== undefined) return { ...file, executable: template, note: file.note ? `${file.note}; ${said(template)}` : said(template) };
    return { ...file, status: "updated", contents: yours, executable: template, note: said(template) };
  });
}
