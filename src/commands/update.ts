/**
 * `create-middleware update [dir]`: flags -> planUpdate -> a per-file report (with diffs for --dry-run and
 * --json) -> applyUpdate -> an install when package.json's dependencies changed (--no-install to skip), as
 * create does. Conflicts are written with markers, listed, and exit 1 (docs/update.md).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { EXIT, FailedError, PackNeedsNewerCliError, UsageError } from "../errors.js";
import { writeJsonReport } from "../system/json-output.js";
import { countOf, createReporter, formatDuration, type Reporter } from "../system/output.js";
import { createPromptAsker } from "../answers/prompts.js";
import { conflictedFiles, type FileUpdate, type UpdateStatus } from "../update/classify.js";
import { unifiedDiff } from "../update/diff.js";
import { dependencyChange } from "../update/dependencies.js";
import { inferPackageManager } from "../update/both-renders.js";
import { applyUpdate, planUpdate, type UpdatePlan, type UpdateResult } from "../update/update.js";
import { parsePackageManager, type PackageManager } from "../answers/answers.js";
import { describeInstallFailure, installDependencies, retryCommand, type InstallReport } from "../system/install.js";
import { guardAgainstInterrupt } from "../system/interrupt.js";
import { formatCommand, packageManagerCommands } from "../system/package-manager.js";
import { startProgress } from "../system/spinner.js";
import { nodeStream, standardError, standardOutput } from "../system/standard-streams.js";
import { runCommand } from "../system/run-command.js";
import { readWorkspaceAt } from "../workspace/detect.js";
import { missingRootUpdateWorkflow } from "../workspace/root-update-workflow.js";
import { applyChanges } from "../write/write-changes.js";
import { readFlags, type Flags } from "./flags.js";

/** Set in the environment of the newer create-middleware `update --pull-request` hands over to. */
const DELEGATED = "CREATE_MIDDLEWARE_DELEGATED";

/** The flags of update, as cli.ts declares them; `install` is false with --no-install. */
export const UPDATE_FLAGS = {
  dryRun: "boolean",
  json: "boolean",
  yes: "boolean",
  force: "boolean",
  schema: "string",
  option: "strings",
  var: "strings",
  varsFile: "string",
  starter: "string",
  keepTemplate: "boolean",
  from: "string",
  template: "string",
  offline: "boolean",
  pm: "string",
  install: "boolean",
  updateWorkflow: "boolean",
  pullRequest: "boolean",
  /** -i: ask every question again, the recorded answers preselected. */
  interactive: "boolean",
  /** With --pull-request at a monorepo's root: every member, one pull request per pack version. */
  all: "boolean",
} as const;
type UpdateFlags = Flags<typeof UPDATE_FLAGS>;

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
  const cli =
    plan.from.createMiddleware === plan.to.createMiddleware
      ? plan.to.createMiddleware
      : `${plan.from.createMiddleware} -> ${plan.to.createMiddleware}`;
  const pack =
    plan.from.template === null && plan.to.template === null
      ? ""
      : `, pack ${plan.from.template === plan.to.template ? short(plan.to.template) : `${short(plan.from.template)} -> ${short(plan.to.template)}`}`;
  return `create-middleware ${cli}${pack}`;
}

function describeBase(plan: UpdatePlan): string {
  if (plan.base.kind === "git") {
    const where = plan.repositoryFolder ? `the repository, under ${plan.repositoryFolder}` : "the package's repository";
    return `the pristine render ${plan.base.commit.slice(0, 12)} kept in ${where}`;
  }
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

async function jsonReport(plan: UpdatePlan, result: UpdateResult | undefined, dryRun: boolean, install?: InstallReport): Promise<object> {
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
    // Whether package.json's dependencies change, and the install that followed (null when none ran).
    dependenciesChanged: dependencyChange(plan.files) === "changed",
    install: install ? { command: install.command, ok: install.ok, durationMs: install.durationMs } : null,
  };
}

export async function runUpdate(directory: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const flags: UpdateFlags = readFlags(options, UPDATE_FLAGS);
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  if (flags.pullRequest) return runPullRequest(directory, flags, reporter);
  if (flags.all)
    throw new UsageError(
      "--all goes with --pull-request (the monorepo's template-update workflow); to update one package, run update in its folder.",
    );
  const dryRun = flags.dryRun ?? false;
  const terminal = standardOutput().isTTY === true && process.stdin.isTTY === true;
  if (flags.interactive) refuseUnaskable(flags, terminal);
  const plan = await planUpdate(
    {
      directory: packageFolder(directory),
      force: flags.force ?? false,
      offline: flags.offline ?? false,
      cwd: process.cwd(),
      ...(flags.schema !== undefined ? { schema: flags.schema } : {}),
      ...(flags.option !== undefined ? { option: flags.option } : {}),
      ...(flags.var !== undefined ? { var: flags.var } : {}),
      ...(flags.template !== undefined ? { template: flags.template } : {}),
      ...(flags.varsFile !== undefined ? { varsFile: path.resolve(flags.varsFile) } : {}),
      ...(flags.starter !== undefined ? { starter: flags.starter } : {}),
      ...(flags.keepTemplate ? { keepTemplate: true } : {}),
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.pm !== undefined ? { pm: flags.pm } : {}),
      ...(flags.updateWorkflow !== undefined ? { updateWorkflow: flags.updateWorkflow } : {}),
      ...(flags.interactive ? { interactive: true } : {}),
      ...(!flags.yes && !flags.json && terminal ? { asker: createPromptAsker(nodeStream(1)) } : {}),
      notice: (message: string) => reporter.warn(message),
    },
    // A dry run changes nothing, so it may look at a work tree with uncommitted changes.
    { requireClean: !dryRun },
  );
  const changing = plan.files.filter((file) => file.contents !== undefined);
  // --pm was checked by planUpdate; the install uses the manager the README names.
  const manager = flags.pm !== undefined ? parsePackageManager(flags.pm) : packageManagerOf(plan);
  // Not over conflicts: the package is unfinished until they are resolved (package.json's own included).
  const conflicted = conflictedFiles(plan.files).length > 0;
  const installs = dependencyChange(plan.files) === "changed" && flags.install !== false && !conflicted;

  // A member that turns the workflow on gets the monorepo's one, at the root (it has no .github/ of its own).
  const rootWorkflow =
    flags.updateWorkflow === true && plan.record.answers.updateWorkflow !== true ? await missingRootUpdateWorkflow(plan.directory) : undefined;
  const rootFiles = rootWorkflow ? { rootFiles: [rootWorkflow.path] } : {};

  if (dryRun) {
    if (flags.json) {
      writeJsonReport({ ...(await jsonReport(plan, undefined, true)), ...rootFiles });
      return;
    }
    printPlan(plan, reporter, true);
    for (const file of changing) {
      const diff = await unifiedDiff(file.path, file.current, file.contents);
      if (diff) reporter.info(`\n${diff.trimEnd()}`);
    }
    if (installs) reporter.info(`\nThen it would run ${formatCommand(packageManagerCommands(manager).install)}: package.json's dependencies change.`);
    if (rootWorkflow)
      reporter.info(
        `\nAt the monorepo's root (${rootWorkflow.root}) it would create ${rootWorkflow.path}, the one template-update workflow for every member.`,
      );
    reporter.info(changing.length === 0 ? "\nAlready up to date: nothing would change." : "\nNothing was written.");
    return;
  }

  if (changing.length === 0) {
    if (flags.json) writeJsonReport(await jsonReport(plan, undefined, false));
    else reporter.info(`${plan.record.answers.packageName} is up to date with its templates (${describeVersions(plan)}); nothing to do.`);
    return;
  }

  const result = await applyUpdate(plan);
  if (rootWorkflow) await applyChanges(rootWorkflow.root, [{ path: rootWorkflow.path, contents: rootWorkflow.contents }]);
  if (!flags.json) {
    printPlan(plan, reporter, false);
    reporter.success(
      `Updated ${countOf(result.written.length + result.deleted.length, "file")}; .create-middleware.json now records ${describeVersions({ from: plan.to, to: plan.to })}.`,
    );
    if (rootWorkflow)
      reporter.info(
        `At the monorepo's root (${rootWorkflow.root}): created ${rootWorkflow.path}, the one template-update workflow for every member.`,
      );
  }
  const where = shown(plan.directory);
  const dependencies = dependencyChange(plan.files);
  let install: InstallReport | undefined;
  if (installs) install = await installAfterUpdate(plan.directory, manager, where, reporter);
  else if (dependencies !== "none" && conflicted)
    reporter.info(
      `package.json's dependencies changed, and nothing was installed over conflicts: resolve them, then run ${retryCommand(where, manager)}`,
    );
  else if (dependencies === "changed") reporter.info(`package.json's dependencies changed; install them with: ${retryCommand(where, manager)}`);
  if (flags.json) writeJsonReport({ ...(await jsonReport(plan, result, false, install)), ...rootFiles });
  if (result.pristineNote)
    reporter.warn(`the new pristine render was not kept in git (${result.pristineNote}); the next update may need the same templates at hand.`);
  if (result.unmergedNote)
    reporter.warn(`the conflicts are not marked as unmerged in git's index (${result.unmergedNote}); the markers in the files still are.`);
  if (result.conflicts.length > 0) {
    throw new FailedError(
      `Conflicts in ${result.conflicts.length} ${result.conflicts.length === 1 ? "file" : "files"}: ${result.conflicts.join(", ")}.\n` +
        "Your changes and the template's touch the same lines there; each place is marked with <<<<<<< yours / ======= / >>>>>>> template. " +
        "Keep what you want, delete the markers, git add the file, then commit. (git status lists them as unmerged, so git mergetool and editors find them; git diff shows everything the update changed.)",
    );
  }
  if (install && !install.ok)
    throw new FailedError(describeInstallFailure(install, manager, where, `The update is written in ${where}; nothing was undone.`));
  if (!flags.json) reporter.info("Review with git diff, then commit.");
}

/** -i asks on the terminal: not without one, nor with a flag that asks nothing (exit 2, before anything is read). */
function refuseUnaskable(flags: UpdateFlags, terminal: boolean): void {
  const instead = "or pass the changes as flags (--schema, --starter, --var key=value, --vars-file)";
  if (flags.yes) throw new UsageError(`-i asks every question again, and --yes asks none: pass one of them (${instead}).`);
  if (flags.json)
    throw new UsageError(`-i asks every question again on the terminal, and --json keeps stdout for the report: run -i without --json, ${instead}.`);
  if (!terminal)
    throw new UsageError(
      `update -i asks every question again, and there is no terminal to ask on (stdin or stdout is not a TTY): run it in a terminal, ${instead}.`,
    );
}

/** The manager the package uses: the one its next README names (what --pm or the evidence chose), as update/render.ts infers it. */
function packageManagerOf(plan: UpdatePlan): PackageManager {
  const readme = plan.next.files.find((file) => file.path === "README.md")?.contents;
  return inferPackageManager(plan.directory, readme, process.env.npm_config_user_agent);
}

/**
 * The install after an update changed the dependencies, with create's progress line; Ctrl-C stops it and
 * says the update itself is complete and how to finish. A failure is reported by the caller (exit 1).
 */
async function installAfterUpdate(directory: string, manager: PackageManager, where: string, reporter: Reporter): Promise<InstallReport> {
  const command = formatCommand(packageManagerCommands(manager).install);
  const progress = startProgress(`package.json's dependencies changed: installing them with ${manager}`, {
    stream: reporter.stream,
    colors: reporter.colors,
  });
  const report = await guardAgainstInterrupt(
    () => {
      progress.stop();
      return `The update is written; ${command} was stopped before it finished. To finish: ${retryCommand(where, manager)}`;
    },
    () => installDependencies(directory, manager),
  );
  const took = formatDuration(report.durationMs);
  progress.stop(
    report.ok ? reporter.colors.green(`Installed dependencies in ${took}`) : reporter.colors.red(`Installing dependencies failed after ${took}`),
  );
  return report;
}

/** --pull-request: the template-update workflow's step (update/pull-request.ts); answers stay as recorded. */
async function runPullRequest(directory: string | undefined, flags: UpdateFlags, reporter: Reporter): Promise<void> {
  const others = (["dryRun", "force", "schema", "option", "var", "template", "pm", "updateWorkflow", "interactive"] as const).filter(
    (key) => flags[key] !== undefined,
  );
  if (others.length > 0) {
    const names = others.map((key) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
    throw new UsageError(
      `--pull-request updates with the recorded answers on a clean checkout; it does not take ${names.join(", ")}. Run update without --pull-request for that.`,
    );
  }
  let result;
  try {
    if (flags.all) return await runMembersPullRequests(directory, flags, reporter);
    const { openUpdatePullRequest } = await import("../update/pull-request.js");
    result = await openUpdatePullRequest({
      directory: packageFolder(directory),
      offline: flags.offline ?? false,
      log: (message) => reporter.info(message),
    });
  } catch (error) {
    // The workflow runs the version the answers file pins; a pack that needs a newer one gets that one,
    // once (the variable stops a loop), before anything was written.
    if (!(error instanceof PackNeedsNewerCliError) || process.env[DELEGATED] === "1") throw error;
    const line = {
      command: "npx",
      args: [
        "--yes",
        `create-middleware-package@${error.minimum}`,
        "update",
        "--pull-request",
        ...(flags.all ? ["--all"] : []),
        ...(flags.offline ? ["--offline"] : []),
        ...(flags.json ? ["--json"] : []),
        ...(directory !== undefined ? [directory] : []),
      ],
    };
    reporter.info(`The pack needs create-middleware ${error.minimum} or later; running ${formatCommand(line)}.`);
    const delegated = await runCommand(line, { cwd: process.cwd(), env: { ...process.env, [DELEGATED]: "1" } });
    // With --json its stdout is the report; otherwise its messages, as it wrote them.
    standardOutput().write(`${flags.json ? delegated.stdout : delegated.output}\n`);
    if (!delegated.ok)
      throw new FailedError(
        `create-middleware ${error.minimum} failed (${delegated.failure === "not-found" ? "npx was not found" : `exit ${delegated.exitCode ?? "unknown"}`}); its output is above.`,
      );
    return;
  }
  if (flags.json) standardOutput().write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.conflicts.length > 0) reporter.warn(`the pull request carries conflicts to resolve: ${result.conflicts.join(", ")}`);
}

/** --pull-request --all at a monorepo's root (update/pull-request-members.ts): every group handled, then the failures named. */
async function runMembersPullRequests(directory: string | undefined, flags: UpdateFlags, reporter: Reporter): Promise<void> {
  const root = path.resolve(directory ?? process.cwd());
  const workspace = await readWorkspaceAt(root);
  if (!workspace) {
    throw new UsageError(
      `${root} is not a monorepo's root (no "workspaces" in package.json, no pnpm-workspace.yaml): --all updates the packages of one. ` +
        "Run it at the root, or drop --all to update the package in this folder.",
    );
  }
  const { membersFailure, openMembersPullRequests } = await import("../update/pull-request-members.js");
  const result = await openMembersPullRequests({ workspace, offline: flags.offline ?? false, log: (message) => reporter.info(message) });
  const failure = membersFailure(result);
  if (flags.json) {
    // One JSON document on stdout, the failures in it too: the exit code and stderr say the run failed.
    standardOutput().write(`${JSON.stringify(result, null, 2)}\n`);
    if (failure) {
      standardError().write(`error: ${failure.message}\n`);
      process.exitCode = EXIT.failed;
    }
    return;
  }
  const conflicts = result.groups.flatMap((group) => group.conflicts);
  if (conflicts.length > 0) reporter.warn(`the pull requests carry conflicts to resolve: ${conflicts.join(", ")}`);
  if (failure) throw failure;
}
