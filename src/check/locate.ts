/**
 * From a problem in a generated package back to the template that caused it, for CI annotations:
 * - a template label ("team pack/base/README.md.hbs", as render errors and the plan name templates) to its
 *   file on disk, through the layers the combination was rendered from;
 * - a line of a generated file to the template's line: the same line for a file copied verbatim; for a
 *   Handlebars template, the one template line with the same text, when exactly one has it (otherwise the
 *   line is unknown and only the file is named);
 * - tsc's diagnostics out of a step's log.
 * Pure, except templateText, which reads the template.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { plainLines } from "../system/clean-output.js";
import type { PlannedFile } from "../render/plan.js";
import type { TemplateLayer } from "../render/template-source.js";

/** The layer a template label belongs to (the longest matching name) and the path inside it. */
function layerOf(label: string, layers: readonly TemplateLayer[]): { layer: TemplateLayer; relative: string } | undefined {
  let best: TemplateLayer | undefined;
  for (const layer of layers) {
    if (label.startsWith(`${layer.name}/`) && (!best || layer.name.length > best.name.length)) best = layer;
  }
  return best ? { layer: best, relative: label.slice(best.name.length + 1) } : undefined;
}

/** The file on disk behind a template label, or undefined when no layer has that name. */
export function templateFile(label: string, layers: readonly TemplateLayer[]): string | undefined {
  const found = layerOf(label, layers);
  return found ? path.join(found.layer.root, ...found.relative.split("/")) : undefined;
}

/** A template's text: from the layer's files in memory (a team pack), else from disk. */
function templateText(label: string, layers: readonly TemplateLayer[]): string | undefined {
  const found = layerOf(label, layers);
  if (!found) return undefined;
  const inMemory = found.layer.files?.get(found.relative);
  if (inMemory) return inMemory.toString("utf8");
  try {
    return readFileSync(path.join(found.layer.root, ...found.relative.split("/")), "utf8");
  } catch {
    return undefined;
  }
}

/** The template line that produced `line` (1-based) of a generated file, when that is known. */
export function templateLine(template: { path: string; text: string }, generated: string, line: number): number | undefined {
  const generatedLines = generated.split("\n");
  if (line < 1 || line > generatedLines.length) return undefined;
  if (!template.path.endsWith(".hbs")) return line;
  const wanted = (generatedLines[line - 1] ?? "").trim();
  if (wanted === "") return undefined;
  const matches: number[] = [];
  template.text.split("\n").forEach((text, index) => {
    if (text.trim() === wanted) matches.push(index + 1);
  });
  return matches.length === 1 ? matches[0] : undefined;
}

export interface Location {
  /** Absolute path of the template, or undefined when only the generated path is known. */
  template?: string;
  /** The generated file, relative to its package: "src/options.ts". */
  generated: string;
  /** In the template when `template` is set, else in the generated file. */
  line?: number;
  column?: number;
}

/** Where a problem at `generated`:`line` of a rendered combination comes from. */
export function locate(
  rendered: { files: readonly PlannedFile[]; layers: readonly TemplateLayer[] },
  generated: string,
  line?: number,
  column?: number,
): Location {
  const file = rendered.files.find((entry) => entry.path === generated);
  const template = file ? templateFile(file.source, rendered.layers) : undefined;
  if (!file || !template) return { generated, ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) };
  if (line === undefined) return { template, generated };
  const text = templateText(file.source, rendered.layers);
  if (text === undefined) return { template, generated };
  const mapped = templateLine({ path: template, text }, file.contents.toString("utf8"), line);
  // A column only carries over with a verbatim copy.
  const sameLine = !template.endsWith(".hbs");
  return { template, generated, ...(mapped === undefined ? {} : { line: mapped }), ...(sameLine && column !== undefined ? { column } : {}) };
}

export interface TscDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

// tsc prints "src/a.ts(3,7): error TS2322: ..." to a pipe, "src/a.ts:3:7 - error TS2322: ..." with --pretty.
const TSC_PLAIN = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const TSC_PRETTY = /^(.+?):(\d+):(\d+) - error (TS\d+): (.*)$/;

/** tsc's error diagnostics in a log, in order; paths as tsc printed them (relative to the package). */
export function tscDiagnostics(log: string): TscDiagnostic[] {
  const found: TscDiagnostic[] = [];
  for (const line of plainLines(log)) {
    const match = TSC_PLAIN.exec(line.trim()) ?? TSC_PRETTY.exec(line.trim());
    if (!match) continue;
    found.push({
      file: (match[1] as string).split("\\").join("/"),
      line: Number(match[2]),
      column: Number(match[3]),
      code: match[4] as string,
      message: match[5] as string,
    });
  }
  return found;
}
