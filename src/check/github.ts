/**
 * The GitHub Actions reporter: `::error` workflow commands that GitHub shows as annotations on the
 * template's own file and line, and a Markdown summary for $GITHUB_STEP_SUMMARY. Pure: the command decides
 * where the text goes.
 */
import path from "node:path";
import { STEP_NAMES, type CheckReport, type StepResult } from "./report.js";
import { lintProblemsIn } from "./lint-output.js";
import { locate, templateFile, tscDiagnostics } from "./locate.js";
import type { SnapshotReport } from "./snapshot.js";
import type { RenderedCombination } from "./workspace.js";
import { formatShard } from "./shard.js";

export interface Annotation {
  /** Relative to the repository (GITHUB_WORKSPACE) when known. */
  file?: string;
  line?: number;
  column?: number;
  title: string;
  message: string;
}

/** At most this many tsc errors become annotations per failed step (GitHub shows 10 per step anyway). */
const MAX_DIAGNOSTICS = 10;

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts: the escaping the runner undoes.
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function formatAnnotation(annotation: Annotation): string {
  const properties = [
    annotation.file === undefined ? undefined : `file=${escapeProperty(annotation.file)}`,
    annotation.line === undefined ? undefined : `line=${annotation.line}`,
    annotation.column === undefined ? undefined : `col=${annotation.column}`,
    `title=${escapeProperty(annotation.title)}`,
  ].filter((entry) => entry !== undefined);
  return `::error ${properties.join(",")}::${escapeData(annotation.message)}`;
}

const slash = (file: string) => file.split(path.sep).join("/");

/**
 * The same problem in several combinations (a broken base template breaks all of them) is one annotation,
 * titled with every combination it affects.
 */
function merge(found: Array<Annotation & { combination: string; what: string }>): Annotation[] {
  const byKey = new Map<string, { annotation: Annotation; combinations: string[]; what: string }>();
  for (const entry of found) {
    const key = [entry.file, entry.line, entry.column, entry.what, entry.message].join("\u0000");
    const known = byKey.get(key);
    if (known) known.combinations.push(entry.combination);
    else byKey.set(key, { annotation: { ...entry }, combinations: [entry.combination], what: entry.what });
  }
  return [...byKey.values()].map(({ annotation, combinations, what }) => {
    const { file, line, column, message } = annotation;
    return {
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
      title: `check ${combinations.join(", ")} ${what}`.trim(),
      message,
    };
  });
}

type Found = Annotation & { combination: string; what: string };

function stepAnnotations(id: string, step: StepResult, rendered: RenderedCombination | undefined, repository: string): Found[] {
  const relative = (file: string) => slash(path.relative(repository, file));
  /**
   * A problem in the generated `file`, annotated on the template that rendered it where the mapping knows it.
   * The generated place stays in the text: the template line is only known when the mapping is.
   */
  const onTemplate = (where: ReturnType<typeof locate>, file: string, text: string): Found => ({
    combination: id,
    what: step.name,
    file: where.template ? relative(where.template) : file,
    ...(where.line === undefined ? {} : { line: where.line }),
    ...(where.column === undefined ? {} : { column: where.column }),
    title: "",
    message: where.template ? `${text} (generated from ${relative(where.template)})` : text,
  });
  if (step.name === "render" && step.file) {
    const file = rendered ? templateFile(step.file, rendered.layers) : undefined;
    return [
      {
        combination: id,
        what: "render",
        file: file ? relative(file) : step.file,
        ...(step.line === undefined ? {} : { line: step.line }),
        title: "",
        message: step.message ?? "the template did not render",
      },
    ];
  }
  const lintProblems = step.name === "lint" ? lintProblemsIn(step.message ?? "") : [];
  if (lintProblems.length > 0 && rendered) {
    // Each file Biome found an error in, on the template that rendered it (the line when Biome gave one and it maps).
    return lintProblems.map((problem) => {
      const text = `${problem.file}${problem.line === undefined ? "" : `:${problem.line}:${problem.column}`}: Biome ${problem.category}${problem.category === "format" ? " (the file is not as Biome formats it)" : ""}`;
      return onTemplate(locate(rendered, problem.file, problem.line, problem.column), problem.file, text);
    });
  }
  const diagnostics = step.name === "typecheck" || step.name === "build" ? tscDiagnostics(step.log ?? "").slice(0, MAX_DIAGNOSTICS) : [];
  if (diagnostics.length === 0 || !rendered) return [{ combination: id, what: step.name, title: "", message: step.message ?? `${step.name} failed` }];
  return diagnostics.map((diagnostic) => {
    const text = `${diagnostic.file}(${diagnostic.line},${diagnostic.column}): error ${diagnostic.code}: ${diagnostic.message}`;
    return onTemplate(locate(rendered, diagnostic.file, diagnostic.line, diagnostic.column), diagnostic.file, text);
  });
}

/** Annotations for every failed step of a full check. `repository`: paths are made relative to it. */
export function checkAnnotations(report: CheckReport, rendered: ReadonlyMap<string, RenderedCombination>, repository: string): Annotation[] {
  const found: Found[] = [];
  if (report.install.status === "fail")
    found.push({ combination: "workspace", what: "install", title: "", message: report.install.message ?? "npm install failed" });
  for (const result of report.combinations) {
    for (const step of result.steps) {
      if (step.status === "fail") found.push(...stepAnnotations(result.id, step, rendered.get(result.id), repository));
    }
  }
  return merge(found);
}

/** Annotations for a snapshot check: render failures on their template, differences on the template that made the file. */
export function snapshotAnnotations(report: SnapshotReport, rendered: ReadonlyMap<string, RenderedCombination>, repository: string): Annotation[] {
  const found: Found[] = [];
  const relative = (file: string) => slash(path.relative(repository, file));
  for (const result of report.combinations) {
    const layers = rendered.get(result.id)?.layers ?? [];
    if (result.render) {
      const file = result.render.file ? templateFile(result.render.file, layers) : undefined;
      found.push({
        combination: result.id,
        what: "render",
        ...(file ? { file: relative(file) } : result.render.file ? { file: result.render.file } : {}),
        ...(result.render.line === undefined ? {} : { line: result.render.line }),
        title: "",
        message: result.render.message,
      });
      continue;
    }
    if (result.status !== "fail") continue;
    for (const difference of result.differences) {
      const render = rendered.get(result.id);
      const committed = relative(path.join(report.directory, result.directory, ...difference.file.split("/")));
      // The first changed line of the rendered file, traced back to its template line when that is known.
      const where = render && difference.change !== "removed" ? locate(render, difference.file, firstChangedLine(difference.diff)) : undefined;
      found.push({
        combination: result.id,
        what: "snapshot",
        file: where?.template ? relative(where.template) : committed,
        ...(where?.template && where.line !== undefined ? { line: where.line } : {}),
        title: "",
        message: `${committed} is ${difference.change === "changed" ? "out of date" : difference.change === "added" ? "missing" : "no longer rendered"}; review the diff, then run create-middleware check --snapshot with --update\n${head(difference.diff)}`,
      });
    }
  }
  for (const name of report.stale)
    found.push({
      combination: name,
      what: "snapshot",
      file: relative(path.join(report.directory, name)),
      title: "",
      message: `${name}/ belongs to no combination of the matrix`,
    });
  return merge(found);
}

/**
 * The first line of the new text that a unified diff adds, skipping blank ones (a blank line cannot be
 * traced to a template line); undefined when it adds none.
 */
export function firstChangedLine(diff: string): number | undefined {
  let line = 0;
  let firstBlank: number | undefined;
  for (const text of diff.split("\n")) {
    const hunk = /^@@ -\S+ \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) line = Number(hunk[1]);
    else if (line > 0 && text.startsWith("+")) {
      if (text.trim() !== "+") return line;
      firstBlank ??= line;
      line++;
    } else if (line > 0 && text.startsWith(" ")) line++;
  }
  return firstBlank;
}

/** The start of a long diff: an annotation is a note, the full diff is in the log. */
function head(diff: string, lines = 30): string {
  const all = diff.trimEnd().split("\n");
  return all.length > lines ? `${all.slice(0, lines).join("\n")}\n… (${all.length - lines} more lines in the log)` : all.join("\n");
}

// Markdown table cells: a pipe ends the cell, a newline ends the table.
const cellText = (text: string) =>
  text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const shardNote = (shard: { index: number; count: number } | null) => (shard ? ` (shard ${formatShard(shard)})` : "");

function stepCell(step: StepResult | undefined): string {
  if (!step) return "–";
  if (step.status === "pass") return `✅ ${seconds(step.durationMs)}`;
  if (step.status === "fail") return `❌ ${seconds(step.durationMs)}`;
  return "⏭️ skipped";
}

/** The Markdown summary of a full check. */
export function checkSummary(report: CheckReport): string {
  const lines = [
    `### create-middleware check${shardNote(report.shard)}: ${report.ok ? "✅ passed" : "❌ failed"}`,
    "",
    `| combination | ${STEP_NAMES.join(" | ")} | total |`,
    `| --- | ${STEP_NAMES.map(() => "---").join(" | ")} | ---: |`,
    ...report.combinations.map(
      (result) =>
        `| ${result.status === "pass" ? "" : "❌ "}${cellText(result.id)} | ${STEP_NAMES.map((name) => stepCell(result.steps.find((step) => step.name === name))).join(" | ")} | ${seconds(result.durationMs)} |`,
    ),
    "",
    `Shared install: ${report.install.status} in ${seconds(report.install.durationMs)}; total ${seconds(report.durationMs)}, ${report.parallelism} at a time.`,
  ];
  if (report.failures.length > 0) {
    lines.push(
      "",
      "**Failures**",
      "",
      ...report.failures.map((failure) => `- \`${failure.combination}\` ${failure.step}: ${cellText(failure.message)}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The Markdown summary of a snapshot check. */
export function snapshotSummary(report: SnapshotReport): string {
  const status = (result: SnapshotReport["combinations"][number]) =>
    result.status === "pass" ? "✅ same" : result.status === "updated" ? "✏️ updated" : result.render ? "❌ did not render" : "❌ differs";
  const lines = [
    `### create-middleware check --snapshot${shardNote(report.shard)}: ${report.ok ? "✅ passed" : "❌ failed"}`,
    "",
    "| combination | snapshot | files | differences |",
    "| --- | --- | ---: | --- |",
    ...report.combinations.map(
      (result) =>
        `| ${cellText(result.id)} | ${status(result)} | ${result.files} | ${cellText(result.differences.map((entry) => `${entry.file} (${entry.change})`).join(", ") || "–")} |`,
    ),
  ];
  if (report.failures.length > 0) {
    lines.push(
      "",
      "**Failures**",
      "",
      ...report.failures.map((failure) => `- \`${failure.combination}\` ${failure.step}: ${cellText(failure.message)}`),
    );
  }
  return `${lines.join("\n")}\n`;
}
