/**
 * `create-middleware [directory]`: flags -> answers -> package, then the human or JSON report.
 */
import path from "node:path";
import type { PackageManager } from "../answers.js";
import { createMiddlewarePackage, type CreateListener, type CreateResult } from "../create.js";
import { FailedError } from "../errors.js";
import type { GitReport } from "../git.js";
import { describeInstallFailure, retryCommand, type InstallReport } from "../install.js";
import { guardAgainstInterrupt } from "../interrupt.js";
import { createReporter, formatDuration, type Reporter } from "../output.js";
import { formatCommand, packageManagerCommands } from "../package-manager.js";
import { startProgress, type Progress } from "../progress.js";
import { createPromptAsker } from "../prompts.js";
import { resolveAnswers, type AnswerFlags } from "../resolve-answers.js";

interface CreateFlags extends Omit<AnswerFlags, "directory"> {
  yes?: boolean;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
  template?: string;
}

function isInteractive(flags: CreateFlags): boolean {
  return !flags.yes && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
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

function jsonReport(result: CreateResult): object {
  const { answers } = result.plan;
  const { install, git } = result;
  return {
    ok: install?.ok !== false,
    dryRun: result.dryRun,
    directory: answers.directory,
    answers: { ...answers, fields: result.plan.data.fields.map(({ name, kind, values, hasDefault, defaultValue }) => ({ name, kind, values, hasDefault, defaultValue })) },
    files: result.plan.files.map((file) => ({ path: file.path, size: file.contents.length, source: file.source })),
    overwritten: result.overwritten,
    install: install ? { command: install.command, ok: install.ok, durationMs: install.durationMs } : null,
    git: git ? { initialized: git.initialized, committed: git.committed, note: git.note ?? null } : null,
  };
}

function summaryOf(result: Pick<CreateResult, "plan">, reporter: Reporter): string {
  const { answers, data } = result.plan;
  return `${reporter.colors.bold(answers.packageName)} (${data.target.title} middleware, ${data.schema.none ? "options checked by hand" : `options validated with ${data.schema.title}`})`;
}

function printDryRun(result: CreateResult, reporter: Reporter): void {
  const { answers, files } = result.plan;
  const { dim } = reporter.colors;
  reporter.info(`Dry run: would create ${summaryOf(result, reporter)} in ${displayPath(answers.directory)} with ${files.length} files:`);
  const width = Math.max(0, ...files.map((file) => file.path.length));
  for (const file of files) reporter.info(`  ${file.path.padEnd(width)}  ${dim(formatSize(file.contents.length))}`);
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

/**
 * The human side of the install: a spinner or start/end lines, and, while it runs, a Ctrl-C handler that
 * says what was left and how to finish (the child itself is stopped in install.ts).
 */
function installListener(context: { where: string; manager: PackageManager; git: boolean }, reporter: Reporter): CreateListener {
  let progress: Progress | undefined;
  let settle: (() => void) | undefined;
  return {
    installStart(command) {
      progress = startProgress(`Installing dependencies with ${context.manager}`, { stream: reporter.stream, colors: reporter.colors });
      const finished = new Promise<void>((resolve) => (settle = resolve));
      void guardAgainstInterrupt(() => {
        progress?.stop();
        const finish = `${retryCommand(context.where, context.manager)}${context.git ? " && git init" : ""}`;
        process.stderr.write(
          `\nStopped ${command} before it finished. The package's files are in ${context.where}; ` +
            `its dependencies are not (fully) installed${context.git ? " and no git repository was created" : ""}.\n` +
            `To finish: ${finish}\n`,
        );
      }, () => finished);
    },
    installEnd(report: InstallReport) {
      settle?.();
      const took = formatDuration(report.durationMs);
      progress?.stop(
        report.ok
          ? reporter.colors.green(`Installed dependencies in ${took}`)
          : reporter.colors.red(`Installing dependencies failed after ${took}`),
      );
    },
  };
}

export async function runCreate(directory: string | undefined, flags: CreateFlags): Promise<void> {
  const reporter = createReporter(flags.json ? process.stderr : process.stdout);
  const answers = await resolveAnswers(
    { ...flags, ...(directory === undefined ? {} : { directory }) },
    {
      cwd: process.cwd(),
      ...(isInteractive(flags) ? { asker: createPromptAsker(flags.json ? process.stderr : process.stdout) } : {}),
      userAgent: process.env.npm_config_user_agent,
      notice: (message) => reporter.warn(message),
    },
  );
  const where = displayPath(answers.directory);
  const listener: CreateListener = {
    ...installListener({ where, manager: answers.packageManager, git: answers.git }, reporter),
    written({ plan, overwritten }) {
      if (flags.json) return;
      reporter.success(`Created ${summaryOf({ plan }, reporter)} in ${where}`);
      if (overwritten.length > 0) reporter.warn(`replaced existing files: ${overwritten.join(", ")}`);
    },
    gitEnd: (report) => printGit(report, reporter),
  };
  const created = await createMiddlewarePackage({
    answers,
    force: flags.force ?? false,
    dryRun: flags.dryRun ?? false,
    template: flags.template,
    listener,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(jsonReport(created), null, 2)}\n`);
  else if (created.dryRun) printDryRun(created, reporter);

  if (created.install && !created.install.ok) {
    throw new FailedError(describeInstallFailure(created.install, answers.packageManager, where));
  }
  if (!flags.json && !created.dryRun) {
    const steps = nextSteps(where, answers.packageManager, created.install?.ok === true);
    reporter.info(`\nNext steps:\n${steps.map((step) => `  ${reporter.colors.cyan(step)}`).join("\n")}`);
  }
}
