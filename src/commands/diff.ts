/**
 * `create-middleware diff [dir]`: the package's changes against the templates it was made from, as unified
 * diffs (docs/update.md, "diff"). --exit-code makes a difference exit 1, as `git diff --exit-code` does;
 * --stat lists the files only; --json prints the report; --template <source> compares with the package's
 * answers rendered by that pack source or version instead of its base.
 */
import { EXIT } from "../errors.js";
import { createReporter } from "../system/output.js";
import { standardOutput } from "../system/standard-streams.js";
import { packageDrift } from "../update/drift.js";
import { packageFolder } from "./update.js";
import { readFlags } from "./flags.js";

/** The flags of diff, as cli.ts declares them. */
export const DIFF_FLAGS = { exitCode: "boolean", stat: "boolean", json: "boolean", offline: "boolean", template: "string" } as const;

export async function runDiff(directory: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const flags = readFlags(options, DIFF_FLAGS);
  const report = await packageDrift({
    directory: packageFolder(directory),
    offline: flags.offline ?? false,
    ...(flags.template !== undefined ? { template: flags.template } : {}),
  });
  if (flags.json) standardOutput().write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const reporter = createReporter(standardOutput());
    const against =
      report.base.kind === "template"
        ? `the template pack ${report.base.source}${report.base.resolved ? ` (${report.base.resolved})` : ""}`
        : "the templates it was made from";
    if (report.files.length === 0) reporter.info(`${report.packageName} has no changes against ${against}.`);
    for (const file of report.files) {
      if (flags.stat || file.diff === "") reporter.info(`${file.change.padEnd(9)} ${file.path}`);
      else standardOutput().write(file.diff.endsWith("\n") ? file.diff : `${file.diff}\n`);
    }
  }
  if (flags.exitCode && report.files.length > 0) process.exitCode = EXIT.failed;
}
