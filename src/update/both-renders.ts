/**
 * A package's answers file -> the two renders an update needs, in memory:
 * - `renderNext`: the package as the current create-middleware and pack would make it, with the recorded
 *   answers and the changes asked for on the way (`--schema`, `-o`, `--var`, `--template`);
 * - `renderRecorded`: the package exactly as it was made, possible only when the same templates are still
 *   at hand (the same create-middleware version, and the same pack version: a folder whose files still
 *   hash the same, an npm pack at its recorded version, a git pack at its recorded commit).
 *
 * Author, year and license come from the answers file, not from git or the clock: a render made today for
 * a package made last year must not change its LICENSE.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import { PACKAGE_MANAGERS, type PackageManager } from "../answers/answers.js";
import { ANSWERS_FILE, formatAnswersFile, type AnswersFile } from "../answers/answers-file.js";
import { planResolved } from "../create.js";
import { CLI_VERSION } from "../version.js";
import { FailedError, UsageError } from "../errors.js";
import { readUserFile } from "../system/read-user-file.js";
import { gitEnvironment } from "../system/git.js";
import { runCommand } from "../system/run-command.js";
import type { PlannedFile } from "../render/plan.js";
import { detectPackageManager, formatCommand, packageManagerCommands } from "../system/package-manager.js";
import { parsePackSource } from "../packs/source-spec.js";
import type { Asker } from "../answers/prompts.js";
import { resolveCreate, type CreateInputFlags } from "../answers/resolver.js";
import { filesAsWritten, membershipOf } from "../workspace/member-of.js";

/** What `update` may change on the way; anything not given keeps its recorded value. */
export interface AnswerChanges {
  schema?: string;
  /** Replaces the option fields (`-o`, repeatable), like create's `-o`. */
  option?: string[];
  /** `--var key=value` as given (repeatable), over the recorded vars: parsed once, by the resolver. */
  var?: readonly string[];
  /** Another pack source (a newer npm range, another folder); relative to the current directory. */
  template?: string;
  /** The package manager the README's commands name (`--pm`); inferred when absent (`inferPackageManager`). */
  pm?: string;
  /** Another starter (`--starter`): one of the target's, or one the pack added since. */
  starter?: string;
  /** `--vars-file`: a JSON file of answers to the pack's questions, under --var (an absolute path). */
  varsFile?: string;
  /** Re-render at the recorded create-middleware and pack versions: only the answers change. */
  keepTemplate?: boolean;
  /** `--from <clone>`: fetch the git pack from this local clone; the recorded source stays the canonical one. */
  from?: string;
  /** Add (true) or drop (false) the template-update workflow; absent: as recorded. */
  updateWorkflow?: boolean;
}

const LOCKFILE_MANAGERS: Record<string, PackageManager> = {
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
  "bun.lock": "bun",
  "bun.lockb": "bun",
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
};

/**
 * The package manager a package was made for. The answers file does not record it, yet the README names
 * its commands, so it is read from the evidence: the pristine README (a line that is exactly one manager's
 * install command), then a lockfile, then package.json's `packageManager`, then the manager that launched
 * us, then npm.
 */
export function inferPackageManager(directory: string, baseReadme: Buffer | undefined, userAgent: string | undefined): PackageManager {
  if (baseReadme) {
    const lines = new Set(
      baseReadme
        .toString("utf8")
        .split("\n")
        .map((line) => line.trim()),
    );
    const named = PACKAGE_MANAGERS.find((manager) => lines.has(formatCommand(packageManagerCommands(manager).install)));
    if (named) return named;
  }
  for (const [file, manager] of Object.entries(LOCKFILE_MANAGERS)) if (existsSync(path.join(directory, file))) return manager;
  // A pipe or an oversized package.json is refused by name (exit 2); a missing or broken one is no evidence.
  const manifest = readUserFile(path.join(directory, "package.json"), { what: "The package's file" });
  try {
    const declared = (JSON.parse(manifest?.toString("utf8") ?? "null") as { packageManager?: unknown } | null)?.packageManager;
    if (typeof declared === "string") {
      const name = PACKAGE_MANAGERS.find((manager) => declared.startsWith(`${manager}@`));
      if (name) return name;
    }
  } catch {
    // no readable package.json: other evidence decides
  }
  return detectPackageManager(userAgent) ?? "npm";
}

export interface Render {
  files: PlannedFile[];
  /** The answers file of this render (also among `files`). */
  answersFile: Buffer;
  /** What the pack resolved to (version, commit, hash), or null for the built-in templates. */
  resolved: string | null;
  /** pack.json's `skipIfExists`: globs of files created once and never updated. */
  skipIfExists: readonly string[];
  /** pack.json's `exclude`: globs of files the pack's packages never get (an update leaves existing ones alone). */
  exclude?: readonly string[];
  /** The pack's CHANGELOG.md, when it has one (the update pull request quotes it). */
  changelog?: Buffer | undefined;
}

export interface RenderContext {
  offline: boolean;
  /** Present only when new pack questions may be asked (a terminal, without --yes). */
  asker?: Asker;
  /** `update -i`: with the asker, every question is asked again, the recorded answer preselected. */
  reask?: boolean;
  userAgent?: string;
  notice?: (message: string) => void;
}

/**
 * Replays the package's answers file (answers/resolver.ts, as `create --answers` does) with `flags` on top,
 * from the package's folder: its team config applies, a relative pack source is found from there, and
 * author, year and license are the recorded ones. A workspace member's render is adapted as create wrote
 * it (no `.github/` of its own: the root holds its CI; workspace/member-of.ts).
 */
async function render(directory: string, flags: CreateInputFlags, context: RenderContext): Promise<Render> {
  const resolved = await resolveCreate(
    { ...flags, answers: path.join(directory, ANSWERS_FILE), directory, install: false, git: false, offline: context.offline },
    {
      cwd: directory,
      ...(context.asker ? { asker: context.asker } : {}),
      ...(context.asker && context.reask ? { reask: true } : {}),
      ...(context.userAgent !== undefined ? { userAgent: context.userAgent } : {}),
      ...(context.notice ? { notice: context.notice } : {}),
    },
  );
  // Checked by resolveCreate already: planned as resolved.
  const plan = await planResolved(resolved.answers, resolved);
  const answersFile = plan.files.find((file) => file.path === ANSWERS_FILE)?.contents ?? Buffer.alloc(0);
  return {
    files: filesAsWritten(plan.files, await membershipOf(directory)),
    answersFile,
    resolved: plan.pack?.resolved ?? null,
    skipIfExists: plan.pack?.manifest?.skipIfExists ?? [],
    exclude: plan.pack?.manifest?.exclude ?? [],
    changelog: plan.pack?.tree.files.get("CHANGELOG.md"),
  };
}

function flagsOf(changes: AnswerChanges): CreateInputFlags {
  return {
    ...(changes.schema !== undefined ? { schema: changes.schema } : {}),
    ...(changes.option !== undefined && changes.option.length > 0 ? { option: changes.option } : {}),
    ...(changes.var !== undefined ? { var: [...changes.var] } : {}),
    ...(changes.pm !== undefined ? { pm: changes.pm } : {}),
    ...(changes.starter !== undefined ? { starter: changes.starter } : {}),
    ...(changes.varsFile !== undefined ? { varsFile: changes.varsFile } : {}),
    ...(changes.updateWorkflow !== undefined ? { updateWorkflow: changes.updateWorkflow } : {}),
  };
}

/** The package as it would be made now: the recorded pack source at its current version, or `changes.template`. */
export async function renderNext(
  record: AnswersFile,
  directory: string,
  changes: AnswerChanges,
  context: RenderContext & { cwd: string },
): Promise<Render> {
  if (changes.keepTemplate) return renderKeepingTemplate(record, directory, changes, context);
  if (changes.from !== undefined) return renderFromClone(record, directory, changes, changes.from, context);
  const template =
    changes.template !== undefined
      ? // Given on the command line: relative to where the command runs; recorded relative to the package.
        parsePackSource(changes.template, context.cwd).kind === "folder" || parsePackSource(changes.template, context.cwd).kind === "tarball"
        ? path.resolve(context.cwd, changes.template)
        : changes.template
      : record.template?.source;
  return render(directory, { ...flagsOf(changes), ...(template !== undefined ? { template } : {}) }, context);
}

/**
 * The package exactly as it was made, or a sentence saying why that cannot be rendered any more
 * (another create-middleware version, a pack folder edited since, a pack version that cannot be fetched).
 */
export async function renderRecorded(
  record: AnswersFile,
  directory: string,
  context: RenderContext & { pm: PackageManager },
): Promise<Render | string> {
  if (record.createMiddleware !== CLI_VERSION) {
    return `it was made by create-middleware ${record.createMiddleware}, and this is ${CLI_VERSION}`;
  }
  let rendered: Render;
  try {
    // No template flag: the pack comes from the answers file, pinned to its recorded version or commit.
    rendered = await render(directory, { pm: context.pm }, { offline: context.offline });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // With the built-in templates there is no pack to be missing: a usage error is the answers file's own
    // (an unknown target, schema or starter, a bad name or option), not a missing base.
    if (error instanceof UsageError && !record.template) throw new UsageError(`${path.join(directory, ANSWERS_FILE)}: ${error.message}`);
    return `its template pack at the recorded version could not be loaded (${error.message})`;
  }
  if (record.template && rendered.resolved !== record.template.resolved) {
    const source = parsePackSource(record.template.source, directory);
    const local = source.kind === "folder" || source.kind === "tarball" || (source.kind === "npm" && source.name === undefined);
    return local
      ? `its template pack ${record.template.source} has changed since the package was made`
      : `its template pack resolved to ${rendered.resolved}, not the recorded ${record.template.resolved}`;
  }
  return rendered;
}

/**
 * `update --keep-template`: the recorded answers with the changes asked for, rendered by the recorded
 * create-middleware and pack versions (no template flag: the answers file pins the pack, as for the base),
 * so only the answers move and the recorded source stays as it was.
 */
async function renderKeepingTemplate(
  record: AnswersFile,
  directory: string,
  changes: AnswerChanges,
  context: RenderContext & { cwd: string },
): Promise<Render> {
  if (changes.template !== undefined)
    throw new UsageError("--keep-template keeps the recorded pack version, and --template names another: pass one of them.");
  if (record.createMiddleware !== CLI_VERSION) {
    throw new UsageError(
      `--keep-template renders with the recorded create-middleware ${record.createMiddleware}, and this is ${CLI_VERSION}: ` +
        `run npx create-middleware-package@${record.createMiddleware} update --keep-template (or update without it).`,
    );
  }
  const rendered = await render(directory, flagsOf(changes), context);
  if (record.template && rendered.resolved !== record.template.resolved) {
    throw new FailedError(
      `--keep-template: the pack ${record.template.source} is no longer at its recorded version (${record.template.resolved}, now ${rendered.resolved}), so the package cannot be re-rendered on it. Update without --keep-template.`,
    );
  }
  return rendered;
}

/**
 * The pack comes from the clone's commits only: edits not committed there are not in it, which a user
 * trying a change to the pack would not expect, so they are named (copier takes them, with a warning).
 */
async function noticeUncommitted(clone: string, subfolder: string | undefined, notice: ((message: string) => void) | undefined): Promise<void> {
  if (!notice) return;
  const status = await runCommand(
    { command: "git", args: ["-c", "core.fsmonitor=false", "status", "--porcelain", "--", subfolder ?? "."] },
    { cwd: clone, env: gitEnvironment() },
  );
  const changed = status.ok ? status.stdout.split("\n").filter((line) => line.trim() !== "") : [];
  if (changed.length === 0) return;
  const named = changed.slice(0, 5).map((line) => line.slice(3));
  notice(
    `--from ${clone} has uncommitted changes (${named.join(", ")}${changed.length > 5 ? ` and ${changed.length - 5} more` : ""}); ` +
      "they are not in the update, which takes the pack at a commit: commit them there and run update again to bring them in.",
  );
}

/**
 * The base, with `--from <clone>`, when the recorded commit cannot be had from the recorded source (one
 * the clone made and did not push, on a machine whose pack cache does not hold it): the recorded git pack
 * at its recorded commit, fetched from the clone, with the answers file naming the canonical source as the
 * package's does. A sentence saying why not, as renderRecorded gives one.
 */
export async function renderRecordedFromClone(
  record: AnswersFile,
  directory: string,
  from: string,
  context: RenderContext & { pm: PackageManager; cwd: string },
): Promise<Render | string> {
  const recorded = record.template ? parsePackSource(record.template.source, directory) : undefined;
  // The recorded commit goes into the source: only a full commit id (the answers file is untrusted input).
  if (!record.template || recorded?.kind !== "git" || record.createMiddleware !== CLI_VERSION || !/^[0-9a-f]{40}$/.test(record.template.resolved))
    return "--from does not apply";
  const clone = path.resolve(context.cwd, from);
  const folder = recorded.subfolder ? `::path:${recorded.subfolder}` : "";
  let rendered: Render;
  try {
    rendered = await render(
      directory,
      { pm: context.pm, template: `git+file://${clone}#${record.template.resolved}${folder}` },
      { offline: context.offline },
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return `nor has the clone ${clone} its recorded commit (${error.message})`;
  }
  if (rendered.resolved !== record.template.resolved) return `the clone ${clone} resolved it to ${rendered.resolved}`;
  const answers = JSON.parse(rendered.answersFile.toString("utf8")) as AnswersFile;
  const answersFile = Buffer.from(formatAnswersFile({ ...answers, template: record.template }), "utf8");
  return { ...rendered, answersFile, files: rendered.files.map((file) => (file.path === ANSWERS_FILE ? { ...file, contents: answersFile } : file)) };
}

/**
 * `update --from ../clone`: the git pack fetched from a local clone of its repository (a version not pushed
 * yet, a fork, no network), at the recorded ref and sub-folder; the answers file then records the
 * canonical source, not the clone, with the commit the clone resolved it to.
 */
async function renderFromClone(
  record: AnswersFile,
  directory: string,
  changes: AnswerChanges,
  from: string,
  context: RenderContext & { cwd: string },
): Promise<Render> {
  if (changes.template !== undefined)
    throw new UsageError("--from fetches the recorded pack from a local clone, and --template names another pack: pass one of them.");
  const recorded = record.template ? parsePackSource(record.template.source, directory) : undefined;
  if (!record.template || !recorded || recorded.kind !== "git") {
    throw new UsageError(
      `--from takes a local clone of the pack's git repository, and this package's templates are ${record.template ? record.template.source : "the built-in ones"}, not a git pack.`,
    );
  }
  const clone = path.resolve(context.cwd, from);
  if (!existsSync(clone)) throw new UsageError(`--from ${from}: ${clone} does not exist. Point it at a local clone of ${record.template.source}.`);
  const folder = recorded.subfolder ? `::path:${recorded.subfolder}` : "";
  const local = `git+file://${clone}${recorded.ref !== undefined || folder ? `#${recorded.ref ?? ""}` : ""}${folder}`;
  const rendered = await render(directory, { ...flagsOf(changes), template: local }, context);
  await noticeUncommitted(clone, recorded.subfolder, context.notice);
  // The answers file keeps naming the canonical source.
  const answers = JSON.parse(rendered.answersFile.toString("utf8")) as AnswersFile;
  const answersFile = Buffer.from(
    formatAnswersFile({ ...answers, template: { source: record.template.source, resolved: rendered.resolved ?? "" } }),
    "utf8",
  );
  return { ...rendered, answersFile, files: rendered.files.map((file) => (file.path === ANSWERS_FILE ? { ...file, contents: answersFile } : file)) };
}
