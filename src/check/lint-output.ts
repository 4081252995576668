/**
 * What a failed `lint` step names: the files (and places) Biome reported an error in, read from its
 * diagnostics' headers ("src/extra.ts format ━━━", "src/index.ts:3:1 lint/style/useConst  FIXABLE  ━━━")
 * and the severity on the line below (× error, ! warning, i info). A pack that lints with another tool
 * gets the first error line instead (steps.ts). Pure.
 */
import { plainLines } from "../system/clean-output.js";

export interface LintProblem {
  /** As Biome prints it: relative to the package folder. */
  file: string;
  line?: number;
  column?: number;
  /** "format", "lint/style/useConst", "assist/source/organizeImports", "parse". */
  category: string;
}

const HEADER = /^(\S+?)(?::(\d+):(\d+))? ([a-z][\w/-]*)(?:\s+[A-Z]+)*\s+\u2501{3,}$/;

/** The error diagnostics in Biome's output, in order; warnings and infos are left out (they do not fail). */
export function biomeErrors(output: string): LintProblem[] {
  const lines = plainLines(output);
  const problems: LintProblem[] = [];
  lines.forEach((text, index) => {
    const match = HEADER.exec(text);
    if (!match) return;
    const severity = lines.slice(index + 1).find((next) => next.trim() !== "");
    if (!severity?.trim().startsWith("\u00d7")) return;
    problems.push({
      file: match[1] as string,
      ...(match[2] === undefined ? {} : { line: Number(match[2]), column: Number(match[3]) }),
      category: match[4] as string,
    });
  });
  return problems;
}

/** "src/extra.ts (format), src/index.ts:3:1 (lint/style/useConst)", at most `limit`, then how many more. */
export function describeLintProblems(problems: readonly LintProblem[], limit = 5): string {
  const named = problems.map(
    (problem) => `${problem.file}${problem.line === undefined ? "" : `:${problem.line}:${problem.column}`} (${problem.category})`,
  );
  const unique = [...new Set(named)];
  const shown = unique.slice(0, limit).join(", ");
  return unique.length > limit ? `${shown} and ${unique.length - limit} more` : shown;
}

const LISTED = /^(\S+?)(?::(\d+):(\d+))? \(([a-z][\w/-]*)\)$/;

/**
 * The problems a lint failure's message lists (what describeLintProblems wrote after "exited with N: "),
 * for the GitHub reporter; [] when the message is not such a list (another linter, a timeout).
 */
export function lintProblemsIn(message: string): LintProblem[] {
  const list = / exited with \S+: (.+)$/.exec(message)?.[1]?.replace(/ and \d+ more$/, "");
  if (list === undefined) return [];
  const problems: LintProblem[] = [];
  for (const entry of list.split(", ")) {
    const match = LISTED.exec(entry);
    if (!match) return [];
    problems.push({
      file: match[1] as string,
      ...(match[2] === undefined ? {} : { line: Number(match[2]), column: Number(match[3]) }),
      category: match[4] as string,
    });
  }
  return problems;
}
