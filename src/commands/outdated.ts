/**
 * `create-middleware outdated [dir]`: exit 0 when the package is at its current templates, exit 1 (with
 * what changed) when an update exists; --json prints the report. docs/update.md explains the exit code.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { EXIT, FailedError, UsageError } from "../errors.js";
import { parsePackSource } from "../packs/source-spec.js";
import { readRecordOf } from "../update/update.js";
import { writeJsonReport } from "../system/json-output.js";
import { readWorkspaceAt, type Workspace } from "../workspace/detect.js";
import { checkOutdatedMembers } from "../update/outdated-members.js";
import { createReporter, type Reporter } from "../system/output.js";
import type { PackVersions } from "../update/pack-versions.js";
import { checkOutdated } from "../update/outdated.js";
import { describeVersions, packageFolder } from "./update.js";
import { standardError, standardOutput } from "../system/standard-streams.js";
import { readFlags } from "./flags.js";

/** The pack's versions as `npm outdated` shows a package's: current, wanted, latest. */
function printVersions(versions: PackVersions, reporter: Reporter): void {
  const rows = [
    ["Pack", "Current", "Wanted", "Latest"],
    [versions.source, versions.current, versions.wanted ?? "-", versions.latest ?? "-"],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    reporter.info(
      `  ${row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd()}`,
    );
  if (versions.cachedAt) reporter.warn(`the registry or repository did not answer: versions as of ${versions.cachedAt}, from the cache.`);
  if (versions.latest !== null && versions.latest !== versions.wanted && versions.latest !== versions.current) {
    reporter.info(`${versions.latest} is outside what ${versions.source} allows: update --template <source at ${versions.latest}> moves to it.`);
  }
}

/** `outdated` at a monorepo's root: one line per package create-middleware made; exit 1 when any is behind. */
async function runOutdatedMembers(workspace: Workspace, flags: { json?: boolean; offline?: boolean }): Promise<void> {
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
  const results = await checkOutdatedMembers(workspace, { offline: flags.offline ?? false });
  if (flags.json) writeJsonReport({ root: workspace.root, packages: results });
  else if (results.length === 0)
    reporter.info(`No package in the workspace at ${workspace.root} was made by create-middleware (none holds ${ANSWERS_FILE}).`);
  else {
    const width = Math.max(...results.map((result) => result.folder.length));
    for (const result of results) {
      const { report } = result;
      const state = !report
        ? `check failed: ${result.error}`
        : report.outdated
          ? `behind (${describeVersions(report)}${report.changes ? `, ${report.changes.length} files changed` : ""})`
          : `up to date (${describeVersions(report)})`;
      reporter.info(`${result.folder.padEnd(width)}  ${report?.packageName ?? "?"}  ${state}`);
    }
    if (results.some((result) => result.report?.outdated))
      reporter.info("Run create-middleware update <folder> in each package that is behind (--dry-run shows it first).");
  }
  if (results.some((result) => !result.report || result.report.outdated)) process.exitCode = EXIT.failed;
}

/** The flags of outdated, as cli.ts declares them. */
export const OUTDATED_FLAGS = { json: "boolean", offline: "boolean", template: "string" } as const;

export async function runOutdated(directory: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const flags = readFlags(options, OUTDATED_FLAGS);
  const folder = packageFolder(directory);
  // No package here or above, but a monorepo's root: every member we made.
  if (flags.template === undefined && !existsSync(path.join(folder, ANSWERS_FILE))) {
    const workspace = await readWorkspaceAt(folder);
    if (workspace) return runOutdatedMembers(workspace, flags);
  }
  const reporter = createReporter(flags.json ? standardError() : standardOutput());
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
  if (!flags.json && report.versions) printVersions(report.versions, reporter);
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
