/**
 * `create-middleware [directory]`: flags -> answers -> package, then the human or JSON report.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { PackageManager } from "../answers.js";
import { createMiddlewarePackage, type CreateListener, type CreateResult } from "../create.js";
import { FailedError } from "../errors.js";
import { refusalMessage } from "../write-actions.js";
import { shownPath } from "../write.js";
import type { GitReport } from "../git.js";
import { describeInstallFailure, retryCommand, type InstallReport } from "../install.js";
import { guardAgainstInterrupt } from "../interrupt.js";
import { createReporter, formatDuration, type Reporter } from "../output.js";
import { formatCommand, packageManagerCommands } from "../package-manager.js";
import { startProgress, type Progress } from "../progress.js";
import { createPromptAsker } from "../prompts.js";
import type { LoadedPack } from "../packs/pack.js";
import { redactSource } from "../packs/source-spec.js";
import { resolveCreate, type CreateInputFlags, type ResolvedCreate } from "../resolve-create.js";
import { nodeStream, standardError, standardOutput } from "../standard-streams.js";

interface CreateFlags extends Omit<CreateInputFlags, "directory"> {
  yes?: boolean;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

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
      vars: data.vars,
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
  };
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

function printDryRun(result: CreateResult, reporter: Reporter): void {
  const { answers, files } = result.plan;
  const { dim } = reporter.colors;
  const { actions, refusal } = result.decision;
  const where = displayPath(answers.directory);
  const intoExisting = actions.some((entry) => entry.action !== "create");
  reporter.info(
    refusal
      ? `Dry run: the real run would refuse to write ${summaryOf(result, reporter)} into ${where}; with --force its ${files.length} files would be:`
      : `Dry run: would create ${summaryOf(result, reporter)} in ${where} with ${files.length} files${intoExisting ? " (an existing directory)" : ""}:`,
  );
  if (result.plan.pack) reporter.info(packLine(result.plan.pack, reporter));
  const width = Math.max(0, ...files.map((file) => file.path.length));
  const actionOf = new Map(actions.map((entry) => [entry.path, entry.action]));
  for (const file of files) {
    const action = actionOf.get(file.path) ?? "create";
    reporter.info(`  ${file.path.padEnd(width)}  ${intoExisting ? `${ACTION_WORDS[action].padEnd(13)} ` : ""}${dim(formatSize(file.contents.length))}`);
  }
  if (refusal) {
    reporter.info("Nothing was written.");
    return;
  }
  const then = [
    ...(answers.install ? [formatCommand(packageManagerCommands(answers.packageManager).install)] : []),
    ...(answers.git ? ["git init (with an initial commit)"] : []),
  ];
  if (then.length > 0) reporter.info(`Then it would run: ${then.join(", ")}`);
  reporter.info("Nothing was written.");
}

/** cd, the install when it did not happen, test, example: in the chosen manager's words. */
export function nextSteps(where: string, manager: PackageManager, installed: boolean): string[] {
  const commands = packageManagerCommands(manager);
  return [
    ...(where === "." ? [] : [formatCommand({ command: "cd", args: [where] })]),
    ...(installed ? [] : [formatCommand(commands.install)]),
    formatCommand(commands.run("test")),
    formatCommand(commands.run("example")),
  ];
}

function printGit(report: GitReport, reporter: Reporter): void {
  if (report.committed) reporter.info(reporter.colors.dim("Created a git repository with an initial commit."));
  else if (report.initialized && !report.warning) reporter.info(`Created a git repository; note: ${report.note}`);
  else if (report.warning) reporter.warn(report.initialized ? `created a git repository, but ${report.note}` : report.note ?? "git failed");
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
export function describeInterruptedAfterWrite(
  state: AfterWrite,
  context: { directory: string; where: string; manager: PackageManager; installCommand: string },
): string {
  const lines = [`The package's files are in ${context.where}, complete (${state.fileCount} files).`];
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
    finish.push(`${cd}git init && git add -A && git commit -m "Initial commit"`);
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
      void guardAgainstInterrupt(() => {
        progress?.stop();
        return describeInterruptedAfterWrite(state, { ...context, installCommand });
      }, () => finished);
    },
    installStart() {
      state.install = "running";
      progress = startProgress(`Installing dependencies with ${context.manager}`, { stream: reporter.stream, colors: reporter.colors });
    },
    installEnd(report: InstallReport) {
      state.install = report.ok ? "done" : "failed";
      const took = formatDuration(report.durationMs);
      progress?.stop(
        report.ok
          ? reporter.colors.green(`Installed dependencies in ${took}`)
          : reporter.colors.red(`Installing dependencies failed after ${took}`),
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

export async function runCreate(directory: string | undefined, flags: CreateFlags): Promise<void> {
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  const resolved = await resolveCreate(
    { ...flags, ...(directory === undefined ? {} : { directory }) },
    {
      cwd: process.cwd(),
      ...(isInteractive(flags) ? { asker: createPromptAsker(nodeStream(flags.json ? 2 : 1)) } : {}),
      ...(process.env.npm_config_user_agent !== undefined ? { userAgent: process.env.npm_config_user_agent } : {}),
      notice: (message) => reporter.warn(message),
      force: flags.force ?? false,
    },
  );
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
    created = await createMiddlewarePackage({
      answers,
      force: flags.force ?? false,
      dryRun: flags.dryRun ?? false,
      template: resolved.pack,
      vars: resolved.vars,
      environment: resolved.environment,
      listener,
    });
  } finally {
    afterWrite.settle();
  }
  if (flags.json) standardOutput().write(`${JSON.stringify(jsonReport(created, resolved), null, 2)}\n`);
  else if (created.dryRun) printDryRun(created, reporter);
  // A dry run fails exactly where the real run would, with the same message (after showing the plan).
  if (created.decision.refusal) throw new FailedError(refusalMessage(shownPath(answers.directory), created.decision.refusal));

  if (created.install && !created.install.ok) {
    throw new FailedError(describeInstallFailure(created.install, answers.packageManager, where));
  }
  if (!flags.json && !created.dryRun) {
    const steps = nextSteps(where, answers.packageManager, created.install?.ok === true);
    reporter.info(`\nNext steps:\n${steps.map((step) => `  ${reporter.colors.cyan(step)}`).join("\n")}`);
  }
}
