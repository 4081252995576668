/**
 * `create-middleware [directory]`: flags -> answers -> package, then the human or JSON report.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { PackageManager } from "../answers/answers.js";
import { createResolved, type CreateListener, type CreateResult } from "../create.js";
import { FailedError } from "../errors.js";
import { refusalMessage } from "../write/write-actions.js";
import { shownPath } from "../write/write.js";
import { INITIAL_COMMIT_COMMAND, type GitReport } from "../system/git.js";
import { describeInstallFailure, retryCommand, type InstallReport } from "../system/install.js";
import { guardAgainstInterrupt } from "../system/interrupt.js";
import { writeJsonReport } from "../system/json-output.js";
import { countOf, createReporter, formatDuration, type Reporter } from "../system/output.js";
import { formatCommand, packageManagerCommands, workspaceRun } from "../system/package-manager.js";
import { fileDiff } from "../write/file-diff.js";
import { findWorkspace, type Workspace } from "../workspace/detect.js";
import { memberFolder, type MemberPlan } from "../workspace/member-plan.js";
import { resolveLocation } from "../answers/names.js";
import { placeInWorkspace, workspaceScope } from "../workspace/placement.js";
import { taskRunnerNote } from "../workspace/task-runners.js";
import { startProgress, type Progress } from "../system/spinner.js";
import { createPromptAsker } from "../answers/prompts.js";
import type { LoadedPack } from "../packs/pack.js";
import { redactSource } from "../packs/source-spec.js";
import { withoutSecrets } from "../packs/secret.js";
import { resolveCreate, type ResolvedCreate } from "../answers/resolver.js";
import { readFlags, type Flags } from "./flags.js";
import { nodeStream, standardError, standardOutput } from "../system/standard-streams.js";

/** The flags of create, as cli.ts declares them; `workspace` is false with --no-workspace (a stand-alone package even inside a monorepo). */
export const CREATE_FLAGS = {
  target: "string",
  schema: "string",
  starter: "string",
  name: "string",
  description: "string",
  option: "strings",
  repo: "string",
  pm: "string",
  install: "boolean",
  git: "boolean",
  workspace: "boolean",
  updateWorkflow: "boolean",
  yes: "boolean",
  force: "boolean",
  dryRun: "boolean",
  json: "boolean",
  template: "string",
  var: "strings",
  varsFile: "string",
  answers: "string",
  offline: "boolean",
} as const;
type CreateFlags = Flags<typeof CREATE_FLAGS>;

function isInteractive(flags: CreateFlags): boolean {
  return !flags.yes && Boolean(standardOutput().isTTY) && Boolean(process.stdin.isTTY);
}

function displayPath(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  if (relative === "") return ".";
  if (path.isAbsolute(relative)) return directory; // another drive on Windows
  if (relative.startsWith("..")) return relative.length < directory.length ? relative : directory;
  return `./${relative}`;
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

function jsonReport(result: CreateResult, resolved: ResolvedCreate): object {
  const { answers, data, pack } = result.plan;
  const { install, git, decision } = result;
  const actions = new Map(decision.actions.map((entry) => [entry.path, entry.action]));
  return {
    ok: install?.ok !== false && decision.refusal === undefined,
    ...(decision.refusal ? { error: refusalMessage(shownPath(answers.directory), decision.refusal) } : {}),
    dryRun: result.dryRun,
    directory: answers.directory,
    answers: {
      ...answers,
      fields: data.fields.map(({ name, kind, values, hasDefault, defaultValue }) => ({ name, kind, values, hasDefault, defaultValue })),
      author: data.author,
      year: data.year,
      license: data.license,
      vars: withoutSecrets(data.vars, pack?.manifest?.questions),
      updateWorkflow: answers.updateWorkflow === true,
    },
    // Where each answer came from: flag, answers (the --answers file), config, prompt, default, detected, git.
    sources: { ...resolved.sources, vars: resolved.varSources },
    template: pack ? { source: redactSource(pack.source.given), kind: pack.source.kind, resolved: pack.resolved, fromCache: pack.fromCache } : null,
    config: resolved.config.files,
    files: result.plan.files.map((file) => ({ path: file.path, size: file.contents.length, source: file.source, action: actions.get(file.path) })),
    overwritten: result.overwritten,
    install: install ? { command: install.command, ok: install.ok, durationMs: install.durationMs } : null,
    git: git ? { initialized: git.initialized, committed: git.committed, note: git.note ?? null } : null,
    workspace: result.member
      ? {
          root: result.member.workspace.root,
          member: result.member.folder,
          manager: result.member.workspace.manager,
          rootFiles: result.member.rootChanges.map((change) => ({ path: change.path, action: change.before === undefined ? "create" : "merge" })),
        }
      : null,
  };
}

/** The root files a member adds or changes, each as a diff from what is there now. */
async function printRootChanges(member: MemberPlan, reporter: Reporter, dryRun: boolean): Promise<void> {
  if (member.rootChanges.length === 0) return;
  reporter.info(`${dryRun ? "At the workspace root it would change" : "At the workspace root"} (${member.workspace.root}):`);
  for (const change of member.rootChanges) {
    const verb = change.before === undefined ? (dryRun ? "create" : "created") : dryRun ? "merge into" : "merged into";
    reporter.info(`  ${verb} ${change.path}`);
    if (!dryRun) continue;
    const diff = await fileDiff(change.before, change.after, {
      old: change.before === undefined ? "/dev/null" : `a/${change.path}`,
      new: `b/${change.path}`,
    });
    reporter.info(
      diff
        .replace(/\n$/, "")
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n"),
    );
  }
}

/** "from the team pack npm:@acme/mw-pack@^2 (2.3.1)": which pack, and exactly which version of it. */
function packLine(pack: LoadedPack, reporter: Reporter): string {
  const resolved = /^[0-9a-f]{40,64}$/.test(pack.resolved) ? pack.resolved.slice(0, 12) : pack.resolved;
  return reporter.colors.dim(`  from the team pack ${redactSource(pack.source.given)} (${resolved}${pack.fromCache ? ", from the cache" : ""})`);
}

function summaryOf(result: Pick<CreateResult, "plan">, reporter: Reporter): string {
  const { answers, data } = result.plan;
  return `${reporter.colors.bold(answers.packageName)} (${data.target.title} middleware, starter ${data.starter.id}, ${data.schema.none ? "options checked by hand" : `options validated with ${data.schema.title}`})`;
}

/** How a dry run names what would happen to a file; "identical" files are left as they are. */
const ACTION_WORDS = { create: "create", identical: "identical", replace: "would replace" } as const;

async function printDryRun(result: CreateResult, reporter: Reporter): Promise<void> {
  const { answers, files } = result.plan;
  const { dim } = reporter.colors;
  const { actions, refusal } = result.decision;
  const where = displayPath(answers.directory);
  const intoExisting = actions.some((entry) => entry.action !== "create");
  reporter.info(
    refusal
      ? `Dry run: the real run would refuse to write ${summaryOf(result, reporter)} into ${where}; with --force its ${countOf(files.length, "file")} would be:`
      : `Dry run: would create ${summaryOf(result, reporter)} in ${where} with ${countOf(files.length, "file")}${intoExisting ? " (an existing directory)" : ""}:`,
  );
  if (result.plan.pack) reporter.info(packLine(result.plan.pack, reporter));
  const width = Math.max(0, ...files.map((file) => file.path.length));
  const actionOf = new Map(actions.map((entry) => [entry.path, entry.action]));
  for (const file of files) {
    const action = actionOf.get(file.path) ?? "create";
    reporter.info(
      `  ${file.path.padEnd(width)}  ${intoExisting ? `${ACTION_WORDS[action].padEnd(13)} ` : ""}${dim(formatSize(file.contents.length))}`,
    );
  }
  if (refusal) {
    reporter.info("Nothing was written.");
    return;
  }
  if (result.member) await printRootChanges(result.member, reporter, true);
  const then = [
    ...(answers.install
      ? [`${formatCommand(packageManagerCommands(answers.packageManager).install)}${result.member ? " (at the workspace root)" : ""}`]
      : []),
    ...(answers.git ? ["git init (with an initial commit)"] : []),
  ];
  if (then.length > 0) reporter.info(`Then it would run: ${then.join(", ")}`);
  reporter.info("Nothing was written.");
}

/** A member's next steps, run from the workspace root: the install when it did not happen, test, example. */
function memberNextSteps(member: MemberPlan, packageName: string, installed: boolean, cwd = process.cwd()): string[] {
  const { manager, root } = member.workspace;
  const at = { folder: member.folder, name: packageName };
  return [
    ...(path.resolve(cwd) === root ? [] : [formatCommand({ command: "cd", args: [displayPath(root)] })]),
    ...(installed ? [] : [formatCommand(packageManagerCommands(manager).install)]),
    formatCommand(workspaceRun(manager, at, "test")),
    formatCommand(workspaceRun(manager, at, "example")),
  ];
}

/** cd, the install when it did not happen, test, example: in the chosen manager's words. */
export function nextSteps(where: string, manager: PackageManager, installed: boolean, committed = false): string[] {
  const commands = packageManagerCommands(manager);
  // Without the install there is no lockfile in the initial commit, and CI's `npm ci` (or the manager's
  // frozen install) fails without one: commit it once the install has written it.
  const commitLockfile = `${formatCommand({ command: "git", args: ["add", commands.lockfile] })} && ${formatCommand({ command: "git", args: ["commit", "-m", `Add ${commands.lockfile}`] })}`;
  return [
    ...(where === "." ? [] : [formatCommand({ command: "cd", args: [where] })]),
    ...(installed ? [] : [formatCommand(commands.install)]),
    ...(installed || !committed ? [] : [commitLockfile]),
    formatCommand(commands.run("test")),
    formatCommand(commands.run("example")),
  ];
}

/** Said after the next steps when the install was skipped: why the lockfile must be committed. */
function lockfileNote(manager: PackageManager): string {
  const commands = packageManagerCommands(manager);
  return `Commit ${commands.lockfile} once the install has written it: CI runs ${formatCommand(commands.ci)}, which needs it.`;
}

function printGit(report: GitReport, reporter: Reporter): void {
  if (report.committed) reporter.info(reporter.colors.dim("Created a git repository with an initial commit."));
  else if (report.initialized && !report.warning) reporter.info(`Created a git repository; note: ${report.note}`);
  else if (report.warning) reporter.warn(report.initialized ? `created a git repository, but ${report.note}` : (report.note ?? "git failed"));
  else reporter.info(`note: ${report.note}`);
}

/** Where a run stands after the files are written: what a Ctrl-C from then on must report. */
interface AfterWrite {
  fileCount: number;
  install: "skipped" | "pending" | "running" | "done" | "failed";
  git: "skipped" | "pending" | "running" | "done";
}

/**
 * Exactly what is on disk when a run is interrupted after the package was renamed into place (during the
 * install, during git, or between the steps), and the commands that finish the job.
 */
function describeInterruptedAfterWrite(
  state: AfterWrite,
  context: { directory: string; where: string; manager: PackageManager; installCommand: string },
): string {
  const lines = [`The package's files are in ${context.where}, complete (${countOf(state.fileCount, "file")}).`];
  const finish: string[] = [];
  if (state.install === "pending") lines.push("Its dependencies were not installed.");
  if (state.install === "running") {
    const partial = existsSync(path.join(context.directory, "node_modules"));
    lines.push(`Stopped ${context.installCommand} before it finished${partial ? "; node_modules is incomplete" : ""}.`);
  }
  if (state.install === "failed") lines.push(`${context.installCommand} failed.`);
  if (state.install === "pending" || state.install === "running" || state.install === "failed") {
    finish.push(retryCommand(context.where, context.manager));
  }
  if (state.git === "pending" || state.git === "running") {
    const started = existsSync(path.join(context.directory, ".git"));
    lines.push(
      started
        ? `git was stopped part-way: ${path.join(context.where, ".git")} exists, without the initial commit.`
        : "No git repository was created.",
    );
    const cd = finish.length === 0 && context.where !== "." ? `${formatCommand({ command: "cd", args: [context.where] })} && ` : "";
    finish.push(`${cd}git init && ${INITIAL_COMMIT_COMMAND}`);
  }
  if (finish.length > 0) lines.push(`To finish: ${finish.join(" && ")}`);
  return lines.join("\n");
}

/**
 * From the moment the files are on disk until the run ends: progress for the install, and a Ctrl-C
 * handler that says exactly what is on disk and how to finish (the running child itself is stopped in
 * run-command.ts). `settle()` disarms it.
 */
function afterWriteListener(
  context: { directory: string; where: string; manager: PackageManager; install: boolean; git: boolean },
  reporter: Reporter,
): CreateListener & { settle(): void } {
  let progress: Progress | undefined;
  let settle: () => void = () => {};
  const state: AfterWrite = { fileCount: 0, install: context.install ? "pending" : "skipped", git: context.git ? "pending" : "skipped" };
  const installCommand = formatCommand(packageManagerCommands(context.manager).install);
  return {
    settle: () => settle(),
    written({ plan }) {
      state.fileCount = plan.files.length;
      const finished = new Promise<void>((resolve) => (settle = resolve));
      void guardAgainstInterrupt(
        () => {
          progress?.stop();
          return describeInterruptedAfterWrite(state, { ...context, installCommand });
        },
        () => finished,
      );
    },
    installStart() {
      state.install = "running";
      progress = startProgress(`Installing dependencies with ${context.manager}`, { stream: reporter.stream, colors: reporter.colors });
    },
    installEnd(report: InstallReport) {
      state.install = report.ok ? "done" : "failed";
      const took = formatDuration(report.durationMs);
      progress?.stop(
        report.ok ? reporter.colors.green(`Installed dependencies in ${took}`) : reporter.colors.red(`Installing dependencies failed after ${took}`),
      );
    },
    gitStart() {
      state.git = "running";
    },
    gitEnd() {
      state.git = "done";
    },
  };
}

/** The monorepo the package would join: found from the folder it goes in (else the current one) upward. */
async function detectWorkspace(directory: string | undefined, flags: CreateFlags): Promise<Workspace | undefined> {
  if (flags.workspace === false) return undefined;
  const cwd = process.cwd();
  return findWorkspace(directory === undefined ? cwd : path.dirname(path.resolve(cwd, directory)));
}

export async function runCreate(directory: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const flags: CreateFlags = readFlags(options, CREATE_FLAGS);
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  const workspace = await detectWorkspace(directory, flags);
  const given = { ...flags, ...(directory === undefined ? {} : { directory }) };
  const placed = workspace ? placeInWorkspace(given, workspace, process.cwd()) : given;
  // A folder given outside the globs is refused now, before any question is asked.
  if (workspace && placed.directory !== undefined) memberFolder(workspace, resolveLocation(placed.directory, placed.name, process.cwd()).directory);
  const resolved = await resolveCreate(placed, {
    ...(workspace ? { defaultScope: workspaceScope(workspace) } : {}),
    cwd: process.cwd(),
    ...(isInteractive(flags) ? { asker: createPromptAsker(nodeStream(flags.json ? 2 : 1)) } : {}),
    ...(process.env.npm_config_user_agent !== undefined ? { userAgent: process.env.npm_config_user_agent } : {}),
    notice: (message) => reporter.warn(message),
    force: flags.force ?? false,
  });
  const { answers } = resolved;
  const where = displayPath(answers.directory);
  const afterWrite = afterWriteListener(
    { directory: answers.directory, where, manager: answers.packageManager, install: answers.install, git: answers.git },
    reporter,
  );
  const listener: CreateListener = {
    ...afterWrite,
    written(result) {
      afterWrite.written?.(result);
      if (flags.json) return;
      reporter.success(`Created ${summaryOf({ plan: result.plan }, reporter)} in ${where}`);
      if (result.plan.pack) reporter.info(packLine(result.plan.pack, reporter));
      if (result.overwritten.length > 0) reporter.warn(`replaced existing files: ${result.overwritten.join(", ")}`);
      if (result.identical.length > 0) reporter.info(`${result.identical.length} existing files were already identical and were left untouched.`);
    },
    gitEnd: (report) => {
      afterWrite.gitEnd?.(report);
      printGit(report, reporter);
    },
  };
  let created: CreateResult;
  try {
    // resolveCreate has loaded the pack and checked the answers against it: planned as they are.
    created = await createResolved({ answers, force: flags.force ?? false, dryRun: flags.dryRun ?? false, listener, workspace }, resolved);
  } finally {
    afterWrite.settle();
  }
  if (flags.json) writeJsonReport(jsonReport(created, resolved));
  else if (created.dryRun) await printDryRun(created, reporter);
  // A dry run fails exactly where the real run would, with the same message (after showing the plan).
  if (created.decision.refusal) throw new FailedError(refusalMessage(shownPath(answers.directory), created.decision.refusal));

  // Said before a failed install's error too: the root files are written either way.
  if (!flags.json && !created.dryRun && created.member) {
    await printRootChanges(created.member, reporter, false);
    const note = taskRunnerNote(created.member.workspace, answers.packageName);
    if (note) reporter.info(note);
  }
  if (created.install && !created.install.ok) {
    throw new FailedError(describeInstallFailure(created.install, answers.packageManager, where));
  }
  if (!flags.json && !created.dryRun) {
    const installed = created.install?.ok === true;
    const steps = created.member
      ? memberNextSteps(created.member, answers.packageName, installed)
      : nextSteps(where, answers.packageManager, installed, created.git?.committed === true);
    reporter.info(`\nNext steps:\n${steps.map((step) => `  ${reporter.colors.cyan(step)}`).join("\n")}`);
    if (!installed) reporter.info(lockfileNote(answers.packageManager));
  }
}
