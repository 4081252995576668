/**
 * `create-middleware template init <dir>`: copies the built-in templates into a new folder, the start of a
 * team pack, with a pack.json (docs/packs.md), a package.json to publish it with, and a CI workflow that
 * checks it. Refuses a non-empty folder and anything that is not a folder; never overwrites. The copy goes
 * through the one writer (write.ts), so an interrupted or failed init leaves nothing behind and a rerun
 * starts clean.
 *
 * Every copied file sits at the same place as the built-in file it copies, so it overrides only that file
 * (template-pack.ts): a copied base/_partials/ci-matrix.hbs cannot hide the Express CI matrix.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import type { PlannedFile } from "../render/plan.js";
import { CLI_VERSION } from "../version.js";
import { SCHEMAS } from "../tables/schemas.js";
import { TARGETS } from "../tables/targets.js";
import { builtinSources } from "../render/builtin-sources.js";
import { shownPath, systemReason, writePackage } from "../write/write.js";
import { PACK_SNAPSHOT_FOLDER, PACK_WORKFLOW_PATH, packWorkflow } from "../check/workflow.js";
import { standardOutput } from "../system/standard-streams.js";

/** Every file of the built-in templates, as a plan for the writer (copied byte for byte). */
function builtInTemplateFiles(): PlannedFile[] {
  return [...builtinSources()]
    .map(([relative, contents]) => ({ path: relative, contents, source: `templates/${relative}` }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The npm name a new pack suggests: its folder's name, made valid ("Our Templates" -> "our-templates"). */
function suggestedName(destination: string): string {
  const name = path
    .basename(destination)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name === "" ? "middleware-pack" : name;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");

/** pack.json, package.json and the check workflow: what makes the copy a pack a team can publish and test. */
function packFiles(destination: string): PlannedFile[] {
  const name = suggestedName(destination);
  const description = "Our team's create-middleware template pack";
  const manifest = {
    name,
    version: "0.1.0",
    description,
    targets: [...TARGETS],
    schemas: [...SCHEMAS],
    engines: { "create-middleware": `>=${CLI_VERSION}` },
    questions: [],
  };
  const packageJson = {
    name,
    version: "0.1.0",
    description,
    keywords: ["create-middleware-pack"],
    files: ["pack.json", "base", ...TARGETS, "schemas", "starters"],
  };
  return [
    { path: "pack.json", contents: json(manifest), source: "create-middleware" },
    { path: "package.json", contents: json(packageJson), source: "create-middleware" },
    { path: PACK_WORKFLOW_PATH, contents: Buffer.from(packWorkflow(), "utf8"), source: "create-middleware" },
  ];
}

export async function runTemplateInit(dir: string): Promise<void> {
  if (dir.trim() === "") throw new UsageError("template init needs a folder name: create-middleware template init <dir>.");
  const destination = path.resolve(dir);
  let existing: string[] = [];
  try {
    existing = readdirSync(destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") {
      let isFile = false;
      try {
        isFile = statSync(destination).isFile();
      } catch {
        // a part of the path above it is the file
      }
      throw new FailedError(
        `${shownPath(destination)} ${isFile ? "is a file, not a folder" : "cannot be created: a part of its path is a file"}; choose a new folder for the template pack.`,
      );
    }
    if (code !== "ENOENT") throw new FailedError(`Cannot use ${shownPath(destination)}: ${systemReason(error)}.`);
  }
  if (existing.length > 0) {
    throw new FailedError(`${shownPath(destination)} is not empty; choose a new folder for the template pack.`);
  }
  await writePackage(destination, [...builtInTemplateFiles(), ...packFiles(destination)], { force: false });
  const relative = path.relative(process.cwd(), destination) || ".";
  standardOutput().write(
    `Copied the built-in templates to ${destination}, with pack.json, package.json and .github/workflows/check.yml.\n` +
      "Edit or delete files there: a pack file overrides only the built-in file at the same place and inherits the rest.\n" +
      'Add questions to pack.json ("Team templates" in the create-middleware README; a question without a default needs an "example" answer for check and its CI); publish with npm publish, or push it to a git repository.\n' +
      `Use it with: create-middleware my-middleware --template ${relative}\n` +
      `Check it with: create-middleware check --template ${relative}\n` +
      `Its CI (${PACK_WORKFLOW_PATH}) compares renders with ${PACK_SNAPSHOT_FOLDER}/: create them once, in the pack, and commit them:\n` +
      `  create-middleware check --template . --snapshot ${PACK_SNAPSHOT_FOLDER} --update\n`,
  );
}
