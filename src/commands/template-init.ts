/**
 * `create-middleware template init <dir>`: copies the built-in templates into a new folder, the start of a
 * team pack. Refuses a non-empty folder and anything that is not a folder; never overwrites. The copy goes
 * through the one writer (write.ts), so an interrupted or failed init leaves nothing behind and a rerun
 * starts clean.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import type { PlannedFile } from "../plan.js";
import { BUILTIN_TEMPLATES } from "../template-source.js";
import { shownPath, systemReason, writePackage } from "../write.js";

/** Every file of the built-in templates, as a plan for the writer (copied byte for byte). */
function builtInTemplateFiles(): PlannedFile[] {
  return readdirSync(BUILTIN_TEMPLATES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      const relative = path.relative(BUILTIN_TEMPLATES, absolute).split(path.sep).join("/");
      return { path: relative, contents: readFileSync(absolute), source: `templates/${relative}` };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function runTemplateInit(dir: string): Promise<void> {
  if (dir.trim() === "") throw new UsageError("template init needs a folder name: create-middleware template init <dir>.");
  const destination = path.resolve(dir);
  let existing: string[] = [];
  try {
    existing = readdirSync(destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new FailedError(`${shownPath(destination)} is a file, not a folder; choose a new folder for the template pack.`);
    if (code !== "ENOENT") throw new FailedError(`Cannot use ${shownPath(destination)}: ${systemReason(error)}.`);
  }
  if (existing.length > 0) {
    throw new FailedError(`${shownPath(destination)} is not empty; choose a new folder for the template pack.`);
  }
  await writePackage(destination, builtInTemplateFiles(), { force: false });
  const relative = path.relative(process.cwd(), destination) || ".";
  process.stdout.write(
    `Copied the built-in templates to ${destination}.\n` +
      "Edit or delete files there: a pack overrides the built-in files it has and inherits the rest.\n" +
      `Use it with: create-middleware my-middleware --template ${relative}\n` +
      `Check it with: create-middleware check --template ${relative}\n`,
  );
}
