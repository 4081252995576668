/**
 * `create-middleware link`, as a library: adopt a package create-middleware did not make, so that `diff`,
 * `outdated` and `update` work on it from then on (docs/update.md, "Adopting a package: link").
 *
 * planLink (reads only): the package's package.json gives the answers it can (name, description, the
 * target and schema its dependencies name when exactly one fits, the repository, author and license);
 * flags, the team config, prompts and defaults give the rest, as at `create`. The render of those answers
 * is the base: what the templates would have made. The user's files as they are now are "their side", so
 * `diff` shows how the package differs from the templates, and an update merges only what the templates
 * change after today. applyLink writes the answers file (nothing else) and keeps the render as the
 * pristine base in the package's git repository, as `create` does.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import { ANSWERS_FILE, validateAnswersFile } from "../answers/answers-file.js";
import type { AnswerSource } from "../answers/resolve-answers.js";
import { resolveCreate, type CreateInputFlags, type ResolvedCreate } from "../answers/resolver.js";
import type { Asker } from "../answers/prompts.js";
import { SPDX_EXPRESSION } from "../answers/team-config.js";
import { packageNameProblem } from "../answers/names.js";
import { controlCharacterProblem, descriptionProblem } from "../answers/text-rules.js";
import { planMiddlewarePackage } from "../create.js";
import { UsageError } from "../errors.js";
import { parsePackSource } from "../packs/source-spec.js";
import type { PlannedFile } from "../render/plan.js";
import { recordPristine, repositoryFolder } from "../system/pristine.js";
import { readUserFile } from "../system/read-user-file.js";
import { repositoryWebUrl } from "../system/repository.js";
import { SCHEMAS, schemaProfile } from "../tables/schemas.js";
import { TARGETS, targetProfile } from "../tables/targets.js";
import { CLI_VERSION } from "../version.js";
import { filesAsWritten, membershipOf } from "../workspace/member-of.js";
import { applyChanges } from "../write/write-changes.js";
import { inferPackageManager } from "./both-renders.js";

/** The answer flags `link` takes: those of `create` that say what the package is. */
export type LinkFlags = Pick<
  CreateInputFlags,
  "name" | "target" | "schema" | "starter" | "description" | "option" | "repo" | "pm" | "template" | "var" | "varsFile" | "updateWorkflow"
>;

export interface LinkOptions {
  /** The package directory. */
  directory: string;
  flags?: LinkFlags;
  /** Link a package that already has an answers file, replacing it. */
  force?: boolean;
  offline?: boolean;
  /** Resolves a relative --template and --vars-file; defaults to process.cwd(). */
  cwd?: string;
  /** Asks what neither a flag nor the package says (a terminal, without --yes). */
  asker?: Asker;
  userAgent?: string;
  notice?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface LinkPlan {
  directory: string;
  /** The answers file link writes. */
  answersFile: Buffer;
  /** The base: the package as the templates make it with these answers (the answers file included). */
  files: PlannedFile[];
  resolved: ResolvedCreate;
  /** Where each answer came from; "detected" for what package.json (or a lockfile) said. */
  sources: Record<string, AnswerSource | "git">;
  /** The package already had an answers file (linked again with --force). */
  replaces: boolean;
}

type Manifest = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function readManifest(directory: string): Manifest {
  const file = path.join(directory, "package.json");
  // As update reads the package's files: a link in package.json's place (to another package's, to /proc) is not followed.
  const bytes = readUserFile(file, { what: "The package's package.json", noLinks: true });
  if (bytes === undefined) {
    throw new UsageError(
      `${directory} has no package.json, so there is no package to link. link adopts an existing npm package; to make a new one, run create-middleware ${directory}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}). Fix it, then run link again.`);
  }
  if (!isObject(parsed)) throw new UsageError(`${file} does not hold a JSON object. Fix it, then run link again.`);
  return parsed;
}

/** Every dependency name the package declares, whatever the kind. */
function dependencyNames(manifest: Manifest): Set<string> {
  const names = new Set<string>();
  for (const key of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
    const deps = manifest[key];
    if (isObject(deps)) for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

/** The one entry whose dependencies the package has; undefined when none or several do. */
function onlyMatch<T extends string>(ids: readonly T[], dependenciesOf: (id: T) => string[], declared: Set<string>): T | undefined {
  const matches = ids.filter((id) => {
    const wanted = dependenciesOf(id);
    return wanted.length > 0 && wanted.some((name) => declared.has(name));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/** "Ann Lee <ann@example.com> (https://ann.dev)" or { name }: the name alone. */
function authorName(author: unknown): string | undefined {
  const text = typeof author === "string" ? author : isObject(author) && typeof author.name === "string" ? author.name : undefined;
  const name = text
    ?.replace(/<[^>]*>/g, "")
    .replace(/\([^)]*\)/g, "")
    .trim();
  // A control character would reach package.json, LICENSE and the README: not taken (git's user.name is).
  return name && controlCharacterProblem(name, "author") === undefined ? name : undefined;
}

/** What package.json says, as answer flags (only values the answers' own rules accept). */
function fromManifest(directory: string, manifest: Manifest, userAgent: string | undefined): LinkFlags {
  const declared = dependencyNames(manifest);
  const derived: LinkFlags = {};
  // A name npm would refuse is not taken: the prompt (or the folder's name) gives one instead.
  if (typeof manifest.name === "string" && packageNameProblem(manifest.name) === undefined) derived.name = manifest.name;
  if (typeof manifest.description === "string" && manifest.description !== "" && descriptionProblem(manifest.description) === undefined)
    derived.description = manifest.description;
  const target = onlyMatch(TARGETS, (id) => Object.keys(targetProfile(id).peerDependencies), declared);
  if (target) derived.target = target;
  const schema = onlyMatch(SCHEMAS, (id) => Object.keys(schemaProfile(id).dependencies), declared);
  if (schema) derived.schema = schema;
  const repository = isObject(manifest.repository) ? manifest.repository.url : manifest.repository;
  const web = typeof repository === "string" ? repositoryWebUrl(repository) : undefined;
  if (web) derived.repo = web;
  derived.pm = inferPackageManager(directory, undefined, userAgent);
  return derived;
}

const FLAG_SOURCES: [keyof LinkFlags, string][] = [
  ["name", "packageName"],
  ["description", "description"],
  ["target", "target"],
  ["schema", "schema"],
  ["repo", "repository"],
  ["pm", "packageManager"],
];

function refuseLinked(directory: string, force: boolean): boolean {
  const info = lstatSync(path.join(directory, ANSWERS_FILE), { throwIfNoEntry: false });
  if (!info) return false;
  // What stands in the answers file's place is never replaced, with --force or not (nor is a base recorded).
  if (!info.isFile()) {
    throw new UsageError(
      `${path.join(directory, ANSWERS_FILE)} is not a regular file (${info.isSymbolicLink() ? "a symbolic link" : info.isDirectory() ? "a folder" : "a pipe, socket or device"}): --force replaces only an answers file. ` +
        "Remove it, then run link again.",
    );
  }
  if (force) return true;
  throw new UsageError(
    `${directory} already holds ${ANSWERS_FILE}: it was made (or linked) by create-middleware, so update, outdated and diff work on it as it is. ` +
      "To record other answers, run update with them (update --schema zod, --var …); --force links it anew, replacing its answers file and base.",
  );
}

/** Checks the folder, resolves the answers, renders the base. Writes nothing. */
export async function planLink(options: LinkOptions): Promise<LinkPlan> {
  const directory = path.resolve(options.cwd ?? process.cwd(), options.directory);
  const info = lstatSync(directory, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    throw new UsageError(
      `${directory} ${info ? "is not a folder" : "does not exist"}. Pass the folder of the package to link: create-middleware link <dir>.`,
    );
  }
  const replaces = refuseLinked(directory, options.force ?? false);
  const manifest = readManifest(directory);
  const cwd = options.cwd ?? process.cwd();
  const flags = options.flags ?? {};
  const membership = await membershipOf(directory);
  const derived = fromManifest(directory, manifest, options.userAgent ?? process.env.npm_config_user_agent);
  // A member installs with the workspace's manager, and its README says so (as create makes it).
  if (membership) derived.pm = membership.workspace.manager;
  // A pack folder or tarball given on the command line is relative to where the command runs; the answers
  // file then records it relative to the package (pack.ts).
  const template =
    flags.template !== undefined && ["folder", "tarball"].includes(parsePackSource(flags.template, cwd).kind)
      ? path.resolve(cwd, flags.template)
      : flags.template;
  const resolved = await resolveCreate(
    {
      ...derived,
      ...flags,
      ...(template !== undefined ? { template } : {}),
      ...(flags.varsFile !== undefined ? { varsFile: path.resolve(cwd, flags.varsFile) } : {}),
      directory,
      install: false,
      git: false,
      offline: options.offline ?? false,
    },
    {
      // The team config that applies is the package's (as for update), found from its folder upward.
      cwd: directory,
      force: true,
      ...(options.asker ? { asker: options.asker } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
      ...(options.env ? { env: options.env } : {}),
    },
  );
  const sources: Record<string, AnswerSource | "git"> = { ...resolved.sources };
  // link's own settings, not answers: the folder is the package's, and it installs nothing and makes no repository.
  for (const key of ["directory", "install", "git"]) delete sources[key];
  for (const [flag, answer] of FLAG_SOURCES) if (flags[flag] === undefined && derived[flag] !== undefined) sources[answer] = "detected";

  // The recorded author and license are the package's own when it names them (its LICENSE says so).
  const author = authorName(manifest.author);
  const license = typeof manifest.license === "string" && SPDX_EXPRESSION.test(manifest.license) ? manifest.license : undefined;
  if (author !== undefined) sources.author = "detected";
  if (license !== undefined) sources.license = "detected";
  const environment = { ...resolved.environment, ...(author !== undefined ? { author } : {}), ...(license !== undefined ? { license } : {}) };
  const plan = await planMiddlewarePackage(resolved.answers, {
    template: resolved.pack,
    environment,
    cwd: directory,
    offline: options.offline ?? false,
    vars: resolved.vars,
  });
  const files = filesAsWritten(plan.files, membership);
  const answersFile = files.find((file) => file.path === ANSWERS_FILE)?.contents ?? Buffer.alloc(0);
  // What update and diff will read back: checked by the same rules now, so link never writes a file they refuse.
  validateAnswersFile(JSON.parse(answersFile.toString("utf8")), ANSWERS_FILE);
  return { directory, answersFile, files, resolved, sources, replaces };
}

export interface LinkResult {
  /** The commit holding the base, when the package is in a git repository. */
  pristine: string | undefined;
  /** The package's folder in that repository ("" at its top). */
  repositoryFolder: string | undefined;
  /** Why the base could not be kept in git, when it could not. */
  pristineNote: string | undefined;
}

/** Keeps the base in the package's git repository (when it is in one), then writes the answers file. */
export async function applyLink(plan: LinkPlan, options: { env?: NodeJS.ProcessEnv } = {}): Promise<LinkResult> {
  const context = options.env ? { env: options.env } : {};
  const folder = await repositoryFolder(plan.directory, context);
  let pristine: string | undefined;
  let pristineNote: string | undefined;
  if (folder !== undefined) {
    const message =
      `create-middleware ${CLI_VERSION}: pristine render of ${plan.resolved.answers.packageName} (linked)\n\n` +
      "The base that `create-middleware update` merges from; see docs/update.md of create-middleware.";
    try {
      pristine = await recordPristine(plan.directory, plan.files, message, { ...context, folder });
    } catch (error) {
      pristineNote = (error as Error).message;
    }
  }
  await applyChanges(plan.directory, [{ path: ANSWERS_FILE, contents: plan.answersFile }]);
  return { pristine, repositoryFolder: folder, pristineNote };
}
