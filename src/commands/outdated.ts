/**
 * `create-middleware outdated [dir]`: exit 0 when the package is at its current templates, exit 1 (with
 * what changed) when an update exists; --json prints the report. docs/update.md explains the exit code.
 */
import { EXIT, FailedError, UsageError } from "../errors.js";
import { parsePackSource } from "../packs/source-spec.js";
import { readRecordOf } from "../update/update.js";
import { writeJsonReport } from "../json-output.js";
import { createReporter } from "../output.js";
import { checkOutdated } from "../update/outdated.js";
import { describeVersions, packageFolder } from "./update.js";
import { standardError, standardOutput } from "../standard-streams.js";

export async function runOutdated(directory: string | undefined, flags: { json?: boolean; offline?: boolean; template?: string }): Promise<void> {
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  const folder = packageFolder(directory);
  if (flags.template === undefined) assertRecordedPackAtHand(folder);
  const report = await checkOutdated({
    directory: folder,
    offline: flags.offline ?? false,
    cwd: process.cwd(),
    ...(flags.template !== undefined ? { template: flags.template } : {}),
  });
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

/**
 * A pack folder or tarball recorded in the answers file (relative to the package) that is not there any more
 * is not a mistake in this command line: the check cannot run (exit 1), and the way on is to say where the
 * pack is now. A URL-like source is checked when it is fetched.
 */
function assertRecordedPackAtHand(folder: string): void {
  let source: string | undefined;
  try {
    source = readRecordOf(folder).record.template?.source;
  } catch {
    return; // no or a broken answers file: checkOutdated says so, as update does
  }
  if (source === undefined) return;
  try {
    parsePackSource(source, folder);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new FailedError(
      `The package's template pack "${source}" (recorded in .create-middleware.json, relative to the package) cannot be used: ${error.message.split(". Point --template")[0]!.replace(/\.$/, "")}. ` +
        "If the pack moved, check against its new place: create-middleware outdated --template <source> (update takes the same flag).",
    );
  }
}
