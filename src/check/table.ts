/**
 * The human summary: a table of combination x step (status and seconds), then the logs of what failed.
 */
import { stripVTControlCharacters } from "node:util";
import { formatDuration, type Palette } from "../system/output.js";
import { STEP_NAMES, type CheckReport, type StepResult } from "./report.js";

const visible = (text: string) => stripVTControlCharacters(text).length;
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - visible(text)));

function cell(step: StepResult | undefined, colors: Palette): string {
  if (!step) return colors.dim("-");
  const seconds = (step.durationMs / 1000).toFixed(1);
  if (step.status === "pass") return `${colors.green("✓")} ${seconds}s`;
  if (step.status === "fail") return colors.red(`✗ ${seconds}s`);
  return colors.dim("skip");
}

export function formatTable(report: CheckReport, colors: Palette): string {
  const header = ["combination", ...STEP_NAMES, "total"];
  const rows = report.combinations.map((result) => [
    result.status === "pass" ? result.id : colors.red(result.id),
    ...STEP_NAMES.map((name) =>
      cell(
        result.steps.find((step) => step.name === name),
        colors,
      ),
    ),
    `${(result.durationMs / 1000).toFixed(1)}s`,
  ]);
  const widths = header.map((title, column) => Math.max(visible(title), ...rows.map((row) => visible(row[column] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((text, column) => pad(text, widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  const install = report.install;
  const share = report.durationMs > 0 ? Math.round((install.durationMs / report.durationMs) * 100) : 0;
  return [
    colors.bold(line(header)),
    ...rows.map(line),
    "",
    `install (shared): ${install.status} ${formatDuration(install.durationMs)}` +
      `   total: ${formatDuration(report.durationMs)} (install ${share}%), ${report.parallelism} at a time`,
  ].join("\n");
}

/** The tail of each failed step's log, headed by its combination, step and command. */
export function formatFailures(report: CheckReport, colors: Palette): string {
  const blocks: string[] = [];
  if (report.install.status === "fail") {
    blocks.push(`${colors.red("── install (workspace)")} ${report.install.command}\n${report.install.log ?? ""}`);
  }
  for (const result of report.combinations) {
    for (const step of result.steps) {
      if (step.status !== "fail") continue;
      const where = step.file ? ` ${step.file}${step.line === undefined ? "" : `:${step.line}`}` : "";
      const head = `${colors.red(`── ${result.id} · ${step.name}`)}${where}${step.command ? ` (${step.command})` : ""}`;
      blocks.push([head, step.message ?? "", step.log ?? ""].filter((part) => part !== "").join("\n"));
    }
  }
  return blocks.join("\n\n");
}
