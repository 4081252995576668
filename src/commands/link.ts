/**
 * `create-middleware link [dir]`: adopt a package create-middleware did not make (docs/update.md, "Adopting
 * a package: link"). Flags -> planLink -> the human or --json report -> applyLink, which writes the answers
 * file and keeps the base; --dry-run stops before that.
 */
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { createPromptAsker } from "../answers/prompts.js";
import { writeJsonReport } from "../system/json-output.js";
import { countOf, createReporter } from "../system/output.js";
import { nodeStream, standardError, standardOutput } from "../system/standard-streams.js";
import { applyLink, planLink, type LinkFlags, type LinkResult } from "../update/link.js";
import { readYours } from "../update/update.js";
import { readFlags } from "./flags.js";

/** The flags of link, as cli.ts declares them. */
export const LINK_FLAGS = {
  name: "string",
  target: "string",
  schema: "string",
  starter: "string",
  description: "string",
  option: "strings",
  repo: "string",
  pm: "string",
  template: "string",
  var: "strings",
  varsFile: "string",
  updateWorkflow: "boolean",
  yes: "boolean",
  force: "boolean",
  dryRun: "boolean",
  json: "boolean",
  offline: "boolean",
} as const;

const ANSWER_FLAGS = [
  "name",
  "target",
  "schema",
  "starter",
  "description",
  "option",
  "repo",
  "pm",
  "template",
  "var",
  "varsFile",
  "updateWorkflow",
] as const;

function shown(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? directory : `./${relative}`;
}

export async function runLink(directory: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const flags = readFlags(options, LINK_FLAGS);
  const answerFlags: LinkFlags = {};
  for (const key of ANSWER_FLAGS) if (flags[key] !== undefined) Object.assign(answerFlags, { [key]: flags[key] });
  const interactive = !flags.yes && !flags.json && Boolean(standardOutput().isTTY) && Boolean(process.stdin.isTTY);
  const notices: string[] = [];
  const plan = await planLink({
    directory: directory ?? ".",
    flags: answerFlags,
    force: flags.force ?? false,
    offline: flags.offline ?? false,
    ...(interactive ? { asker: createPromptAsker(nodeStream(1)) } : {}),
    notice: (message) => notices.push(message),
  });
  // How the package differs from the render: what `diff` will show once linked.
  const paths = plan.files.map((file) => file.path).filter((file) => file !== ANSWERS_FILE);
  const yours = readYours(plan.directory, paths);
  const differing = plan.files.filter((file) => file.path !== ANSWERS_FILE && !yours.get(file.path)?.equals(file.contents)).length;
  const result: LinkResult | undefined = flags.dryRun ? undefined : await applyLink(plan);
  const { answers } = plan.resolved;

  if (flags.json) {
    writeJsonReport({
      ok: true,
      dryRun: flags.dryRun ?? false,
      replaced: plan.replaces,
      directory: plan.directory,
      answers: JSON.parse(plan.answersFile.toString("utf8")),
      sources: plan.sources,
      files: plan.files.length,
      differing,
      base: result?.pristine ? { kind: "git", commit: result.pristine, folder: result.repositoryFolder } : { kind: "render" },
    });
    return;
  }
  const reporter = createReporter(standardOutput());
  for (const message of notices) standardError().write(`${message}\n`);
  const detected = Object.entries(plan.sources)
    .filter(([, source]) => source === "detected")
    .map(([key]) => key);
  reporter.info(
    `${flags.dryRun ? "Would link" : "Linked"} ${answers.packageName} in ${shown(plan.directory)} (${answers.target}, starter ${answers.starter}, schema ${answers.schema}${plan.resolved.pack ? `, pack ${plan.resolved.pack.resolved}` : ""})`,
  );
  if (detected.length > 0) reporter.info(`  from the package: ${detected.join(", ")}`);
  reporter.info(
    `  ${differing === 0 ? "it matches the templates exactly" : `${countOf(differing, "file")} of the templates' ${plan.files.length - 1} differ from yours (create-middleware diff shows them once linked)`}`,
  );
  if (flags.dryRun) {
    reporter.info(`Nothing written (--dry-run). Without it, link writes ${ANSWERS_FILE} and keeps the render as the base for update.`);
    return;
  }
  if (result?.pristine) {
    const where = result.repositoryFolder ? `the repository, under ${result.repositoryFolder}` : "the package's repository";
    reporter.info(`  base: the render ${result.pristine.slice(0, 12)} kept in ${where} (refs/create-middleware/base)`);
  } else {
    reporter.info(
      `  base: ${result?.pristineNote ? `not kept in git (${result.pristineNote})` : "not in a git repository"}; update re-renders the recorded version, which this create-middleware can do`,
    );
  }
  const wrote = plan.replaces ? `Replaced ${ANSWERS_FILE} (--force)` : `Wrote ${ANSWERS_FILE}`;
  reporter.success(`${wrote}. Commit it; from now on diff, outdated and update work on this package.`);
}
