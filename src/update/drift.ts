/**
 * `create-middleware diff`, as a library: what the package changed against the templates it was made from
 * (its base, found as `update` finds it: update.ts findBase), file by file, read-only. The drift check a
 * team runs in CI: a package whose generated files were edited by hand shows here. Files the templates
 * never produced (the user's own modules, a lockfile) are not drift and are not listed; the answers file is
 * the record, not a template file.
 */
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { fileDiff } from "../write/file-diff.js";
import { findBase, readRecord, readYours, type BaseSource, type UpdateOptions } from "./update.js";

interface Drift {
  path: string;
  change: "modified" | "deleted" | "not a file";
  /** The unified diff from the template's file to yours ("" for a path that is not a regular file). */
  diff: string;
}

export interface DriftReport {
  directory: string;
  packageName: string;
  base: BaseSource;
  files: Drift[];
}

export async function packageDrift(options: Pick<UpdateOptions, "directory" | "offline" | "env">): Promise<DriftReport> {
  const directory = path.resolve(options.directory);
  const { bytes, record } = readRecord(directory);
  const { base } = await findBase(directory, record, bytes, options);
  const paths = [...base.files.keys()].filter((file) => file !== ANSWERS_FILE).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const yours = readYours(directory, paths);
  const files: Drift[] = [];
  for (const file of paths) {
    const template = base.files.get(file)!;
    const mine = yours.get(file);
    if (mine === null) files.push({ path: file, change: "not a file", diff: "" });
    else if (mine === undefined)
      files.push({ path: file, change: "deleted", diff: await fileDiff(template, undefined, { old: `a/${file}`, new: "/dev/null" }) });
    else if (!mine.equals(template))
      files.push({ path: file, change: "modified", diff: await fileDiff(template, mine, { old: `a/${file}`, new: `b/${file}` }) });
  }
  return { directory, packageName: record.answers.packageName, base: base.source, files };
}
