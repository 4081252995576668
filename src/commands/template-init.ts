/**
 * `create-middleware template init <dir>`: copies the built-in templates into a new folder, the start of a
 * team pack. Refuses a non-empty folder; never overwrites.
 */
import { cp, readdir } from "node:fs/promises";
import path from "node:path";
import { FailedError } from "../errors.js";
import { BUILTIN_TEMPLATES } from "../template-source.js";

export async function runTemplateInit(dir: string): Promise<void> {
  const destination = path.resolve(dir);
  const existing = await readdir(destination).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new FailedError(`${destination} is not empty; choose a new folder for the template pack.`);
  }
  await cp(BUILTIN_TEMPLATES, destination, { recursive: true, errorOnExist: true, force: false });
  process.stdout.write(
    `Copied the built-in templates to ${destination}.\n` +
      "Edit or delete files there: a pack overrides the built-in files it has and inherits the rest.\n" +
      `Use it with: create-middleware my-middleware --template ${path.relative(process.cwd(), destination) || "."}\n` +
      `Check it with: create-middleware check --template ${path.relative(process.cwd(), destination) || "."}\n`,
  );
}
