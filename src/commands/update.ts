/**
 * `create-middleware update [dir]`: flags -> planUpdate -> a per-file report (with diffs for --dry-run and
 * --json) -> applyUpdate. Conflicts are written with markers, listed, and exit 1 (docs/update.md).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ANSWERS_FILE } from "../answers-file.js";
import { FailedError, PackNeedsNewerCliError, UsageError } from "../errors.js";
import { createReporter, type Reporter } from "../output.js";
import { createPromptAsker } from "../prompts.js";
import { parseVarFlags } from "../packs/questions.js";
import { conflictedFiles, type FileUpdate, type UpdateStatus } from "../update/classify.js";
import { unifiedDiff } from "../update/diff.js";
import { applyUpdate, planUpdate, type UpdatePlan, type UpdateResult } from "../update/update.js";
import { nodeStream, standardError, standardOutput } from "../standard-streams.js";
import { formatCommand } from "../package-manager.js";
import { runCommand } from "../run-command.js";

/** Set in the environment of the newer create-middleware `update --pull-request` hands over to. */
const DELEGATED = "CREATE_MIDDLEWARE_DELEGATED";

interface UpdateFlags {
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  force?: boolean;
  schema?: string;
  option?: string[];
  var?: string[];
  template?: string;
  offline?: boolean;
  pm?: string;
  updateWorkflow?: boolean;
  pullRequest?: boolean;
}

/**
 * The package a command without [dir] means: the nearest folder from the current one upward that holds an
 * answers file (so `update` works from src/ too), else the current folder (whose error says what is missing).
 */
export function packageFolder(directory: string | undefined): string {
  if (directory !== undefined) return path.resolve(directory);
  for (let folder = process.cwd(); ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, ANSWERS_FILE))) return folder;
    if (path.dirname(folder) === folder) return process.cwd();
  }
}

/** Paths inside the package as the user reads them; the package folder itself as given. */
function shown(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? directory : `./${relative}`;
}

const short = (value: string | null) => (value === null ? "built-in templates" : /^[0-9a-f]{40,64}$/.test(value) ? value.slice(0, 12) : value);

export function describeVersions(plan: Pick<UpdatePlan, "from" | "to">): string {
  const cli = plan.from.createMiddleware === plan.to.createMiddleware ? plan.to.createMiddleware : `${plan.from.createMiddleware} -> ${plan.to.createMiddleware}`;
  const pack =
    plan.from.template === null && plan.to.template === null
      ? ""
      : `, pack ${plan.from.template === plan.to.template ? short(plan.to.template) : `${short(plan.from.template)} -> ${short(plan.to.template)}`}`;
  return `create-middleware ${cli}${pack}`;
}

function describeBase(plan: UpdatePlan): string {
  if (plan.base.kind === "git") return `the pristine render ${plan.base.commit.slice(0, 12)} kept in the package's repository`;
  if (plan.base.kind === "initial-commit") return `the package's initial commit ${plan.base.commit.slice(0, 12)} (lockfiles left out)`;
  return "a fresh render of the recorded version";
}

const WORDS: Record<UpdateStatus, string> = {
  unchanged: "unchanged",
  updated: "updated",
  merged: "merged",
  conflict: "CONFLICT",
  added: "added",
  removed: "removed",
};

/** Files worth a line: everything that changes, and unchanged files with something to say. */
const worthListing = (file: FileUpdate) => file.status !== "unchanged" || file.note !== undefined;

function printPlan(plan: UpdatePlan, reporter: Reporter, dryRun: boolean): void {
  const { bold, dim, red } = reporter.colors;
  reporter.info(`${dryRun ? "Dry run: " : ""}${bold(plan.record.answers.packageName)} in ${shown(plan.directory)}: ${describeVersions(plan)}`);
  if (plan.answerChanges.length > 0) reporter.info(`  answers: ${plan.answerChanges.join("; ")}`);
  reporter.info(dim(`  base: ${describeBase(plan)}`));
  // A dry run lists every file (what it is for); the real run only what changed or has a note.
  const listed = dryRun ? plan.files : plan.files.filter(worthListing);
  for (const file of listed) {
    const word = WORDS[file.status].padEnd(9);
    const line = `${file.status === "conflict" ? red(word) : word}  ${file.path}${file.note ? dim(`  (${file.note})`) : ""}`;
    reporter.info(`  ${file.status === "unchanged" && !file.note ? dim(line) : line}`);
  }
  const quiet = plan.files.length - listed.length;
  if (quiet > 0) reporter.info(dim(`  ${quiet} other files unchanged`));
}

async function jsonReport(plan: UpdatePlan, result: UpdateResult | undefined, dryRun: boolean): Promise<object> {
  const conflicts = conflictedFiles(plan.files);
  return {
    ok: conflicts.length === 0,
    dryRun,
    directory: plan.directory,
    packageName: plan.record.answers.packageName,
    from: plan.from,
    to: plan.to,
    base: plan.base,
    templateChanges: plan.templateChanges,
    answerChanges: plan.answerChanges,
    files: await Promise.all(
      plan.files.map(async (file) => ({
        path: file.path,
        status: file.status,
        note: file.note ?? null,
        diff: await unifiedDiff(file.path, file.current, file.contents),
      })),
    ),
    conflicts,
    pristine: result?.pristine ?? null,
  };
}

export async function runUpdate(directory: string | undefined, flags: UpdateFlags): Promise<void> {
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  if (flags.pullRequest) return runPullRequest(directory, flags, reporter);
  const dryRun = flags.dryRun ?? false;
  const plan = await planUpdate(
    {
      directory: packageFolder(directory),
      force: flags.force ?? false,
      offline: flags.offline ?? false,
      cwd: process.cwd(),
      ...(flags.schema !== undefined ? { schema: flags.schema } : {}),
      ...(flags.option !== undefined ? { option: flags.option } : {}),
      ...(flags.var !== undefined ? { vars: parseVarFlags(flags.var) } : {}),
      ...(flags.template !== undefined ? { template: flags.template } : {}),
      ...(flags.pm !== undefined ? { pm: flags.pm } : {}),
      ...(flags.updateWorkflow !== undefined ? { updateWorkflow: flags.updateWorkflow } : {}),
      ...(!flags.yes && !flags.json && standardOutput().isTTY && process.stdin.isTTY ? { asker: createPromptAsker(nodeStream(1)) } : {}),
      notice: (message: string) => reporter.warn(message),
    },
    // A dry run changes nothing, so it may look at a work tree with uncommitted changes.
    { requireClean: !dryRun },
  );
  const changing = plan.files.filter((file) => file.contents !== undefined);

  if (dryRun) {
    if (flags.json) {
      standardOutput().write(`${JSON.stringify(await jsonReport(plan, undefined, true), null, 2)}\n`);
      return;
    }
    printPlan(plan, reporter, true);
    for (const file of changing) {
      const diff = await unifiedDiff(file.path, file.current, file.contents);
      if (diff) reporter.info(`\n${diff.trimEnd()}`);
    }
    reporter.info(changing.length === 0 ? "\nAlready up to date: nothing would change." : "\nNothing was written.");
    return;
  }

  if (changing.length === 0) {
    if (flags.json) standardOutput().write(`${JSON.stringify(await jsonReport(plan, undefined, false), null, 2)}\n`);
    else reporter.info(`${plan.record.answers.packageName} is up to date with its templates (${describeVersions(plan)}); nothing to do.`);
    return;
  }

  const result = await applyUpdate(plan);
  if (flags.json) standardOutput().write(`${JSON.stringify(await jsonReport(plan, result, false), null, 2)}\n`);
  else {
    printPlan(plan, reporter, false);
    reporter.success(`Updated ${result.written.length + result.deleted.length} files; .create-middleware.json now records ${describeVersions({ from: plan.to, to: plan.to })}.`);
  }
  if (result.pristineNote) reporter.warn(`the new pristine render was not kept in git (${result.pristineNote}); the next update may need the same templates at hand.`);
  if (result.conflicts.length > 0) {
    throw new FailedError(
      `Conflicts in ${result.conflicts.length} ${result.conflicts.length === 1 ? "file" : "files"}: ${result.conflicts.join(", ")}.\n` +
        "Your changes and the template's touch the same lines there; each place is marked with <<<<<<< yours / ======= / >>>>>>> template. " +
        "Keep what you want, delete the markers, then commit. (git status and git diff show everything the update changed.)",
    );
  }
  if (!flags.json) reporter.info("Review with git diff, then commit.");
}

/** --pull-request: the template-update workflow's step (update/pull-request.ts); answers stay as recorded. */
async function runPullRequest(directory: string | undefined, flags: UpdateFlags, reporter: Reporter): Promise<void> {
  const others = (["dryRun", "force", "schema", "option", "var", "template", "pm", "updateWorkflow"] as const).filter((key) => flags[key] !== undefined);
  if (others.length > 0) {
    const names = others.map((key) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
    throw new UsageError(`--pull-request updates with the recorded answers on a clean checkout; it does not take ${names.join(", ")}. Run update without --pull-request for that.`);
  }
  const { openUpdatePullRequest } = await import("../update/pull-request.js");
  let result;
  try {
    result = await openUpdatePullRequest({ directory: packageFolder(directory), offline: flags.offline ?? false, log: (message) => reporter.info(message) });
  } catch (error) {
    // The workflow runs the version the answers file pins; a pack that needs a newer one gets that one,
    // once (the variable stops a loop), before anything was written.
    if (!(error instanceof PackNeedsNewerCliError) || process.env[DELEGATED] === "1") throw error;
    const line = { command: "npx", args: ["--yes", `create-middleware-package@${error.minimum}`, "update", "--pull-request", ...(flags.offline ? ["--offline"] : []), ...(flags.json ? ["--json"] : []), ...(directory !== undefined ? [directory] : [])] };
    reporter.info(`The pack needs create-middleware ${error.minimum} or later; running ${formatCommand(line)}.`);
    const delegated = await runCommand(line, { cwd: process.cwd(), env: { ...process.env, [DELEGATED]: "1" } });
    // With --json its stdout is the report; otherwise its messages, as it wrote them.
    standardOutput().write(`${flags.json ? delegated.stdout : delegated.output}\n`);
    if (!delegated.ok) throw new FailedError(`create-middleware ${error.minimum} failed (${delegated.failure === "not-found" ? "npx was not found" : `exit ${delegated.exitCode ?? "unknown"}`}); its output is above.`);
    return;
  }
  if (flags.json) standardOutput().write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.conflicts.length > 0) reporter.warn(`the pull request carries conflicts to resolve: ${result.conflicts.join(", ")}`);
}
