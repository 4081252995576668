/**
 * `create-middleware outdated [dir]`: exit 0 when the package is at its current templates, exit 1 (with
 * what changed) when an update exists; --json prints the report. docs/update.md explains the exit code.
 */
import { EXIT } from "../errors.js";
import { writeJsonReport } from "../json-output.js";
import { createReporter } from "../output.js";
import { checkOutdated } from "../update/outdated.js";
import { describeVersions, packageFolder } from "./update.js";
import { standardError, standardOutput } from "../standard-streams.js";

export async function runOutdated(directory: string | undefined, flags: { json?: boolean; offline?: boolean }): Promise<void> {
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  const report = await checkOutdated({ directory: packageFolder(directory), offline: flags.offline ?? false });
  if (flags.json) writeJsonReport(report);
  else if (!report.outdated) {
    reporter.info(`${report.packageName} is up to date with its templates (${describeVersions(report)}).`);
  } else {
    reporter.info(`${report.packageName} is behind its templates (${describeVersions(report)}):`);
    if (report.changes) for (const change of report.changes) reporter.info(`  ${change.change.padEnd(8)} ${change.path}`);
    else reporter.info(`  (which files changed is unknown: ${report.note ?? "no base"})`);
  }
  if (report.outdated) {
    if (!flags.json) reporter.info(`Run create-middleware update${directory ? ` ${directory}` : ""} to bring them in (--dry-run shows it first).`);
    // Not an error: the check did its job. Exit 1 says "an update exists" (docs/update.md).
    process.exitCode = EXIT.failed;
  }
}
