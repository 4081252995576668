/**
 * `create-middleware outdated [dir]`: exit 0 when the package is at its current templates, exit 1 (with
 * what changed) when an update exists; --json prints the report. docs/update.md explains the exit code.
 */
import { FailedError } from "../errors.js";
import { createReporter } from "../output.js";
import { checkOutdated } from "../update/outdated.js";
import { describeVersions, packageFolder } from "./update.js";

/** Thrown when an update exists, so the CLI exits 1 with the report already printed. */
class OutdatedError extends FailedError {
  override name = "OutdatedError";
}

export async function runOutdated(directory: string | undefined, flags: { json?: boolean; offline?: boolean }): Promise<void> {
  const reporter = createReporter(flags.json ? process.stderr : process.stdout);
  const report = await checkOutdated({ directory: packageFolder(directory), offline: flags.offline ?? false });
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (!report.outdated) {
    reporter.info(`${report.packageName} is up to date with its templates (${describeVersions(report)}).`);
  } else {
    reporter.info(`${report.packageName} is behind its templates (${describeVersions(report)}):`);
    if (report.changes) for (const change of report.changes) reporter.info(`  ${change.change.padEnd(8)} ${change.path}`);
    else reporter.info(`  (which files changed is unknown: ${report.note ?? "no base"})`);
  }
  if (report.outdated) {
    throw new OutdatedError(`an update exists: run create-middleware update${directory ? ` ${directory}` : ""} (--dry-run shows it first).`);
  }
}
