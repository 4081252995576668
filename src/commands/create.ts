/**
 * `create-middleware [directory]`: flags -> answers -> package, then the human or JSON report.
 */
import path from "node:path";
import { createMiddlewarePackage, type CreateResult } from "../create.js";
import { createReporter, type Reporter } from "../output.js";
import { formatCommand, packageManagerCommands } from "../package-manager.js";
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
  return relative.startsWith("..") || path.isAbsolute(relative) ? directory : `./${relative}`;
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

function jsonReport(result: CreateResult): object {
  const { answers } = result.plan;
  return {
    ok: true,
    dryRun: result.dryRun,
    directory: answers.directory,
    answers: { ...answers, fields: result.plan.data.fields.map(({ name, kind, values, hasDefault, defaultValue }) => ({ name, kind, values, hasDefault, defaultValue })) },
    files: result.plan.files.map((file) => ({ path: file.path, size: file.contents.length, source: file.source })),
    overwritten: result.overwritten,
  };
}

function printHuman(result: CreateResult, reporter: Reporter): void {
  const { answers, data, files } = result.plan;
  const { bold, dim, cyan } = reporter.colors;
  const where = displayPath(answers.directory);
  const summary = `${bold(answers.packageName)} (${data.target.title} middleware, options validated with ${data.schema.title})`;
  if (result.dryRun) {
    reporter.info(`Dry run: would create ${summary} in ${where} with ${files.length} files:`);
    const width = Math.max(...files.map((file) => file.path.length));
    for (const file of files) reporter.info(`  ${file.path.padEnd(width)}  ${dim(formatSize(file.contents.length))}`);
    reporter.info("Nothing was written.");
    return;
  }
  reporter.success(`Created ${summary} in ${where}`);
  if (result.overwritten.length > 0) reporter.warn(`replaced existing files: ${result.overwritten.join(", ")}`);
  const commands = packageManagerCommands(answers.packageManager);
  const steps = [
    ...(where === "." ? [] : [`cd ${where.includes(" ") ? JSON.stringify(where) : where}`]),
    formatCommand(commands.install),
    formatCommand(commands.run("test")),
    formatCommand(commands.run("example")),
  ];
  reporter.info(`\nNext steps:\n${steps.map((step) => `  ${cyan(step)}`).join("\n")}`);
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
  const result = await createMiddlewarePackage({
    answers,
    force: flags.force ?? false,
    dryRun: flags.dryRun ?? false,
    template: flags.template,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(jsonReport(result), null, 2)}\n`);
  else printHuman(result, reporter);
}
