/**
 * The check report: what `--json` prints (docs/check.md documents the shape) and what the table shows.
 */
import type { Schema, Target } from "../answers.js";

export const STEP_NAMES = ["render", "typecheck", "build", "test", "pack", "publint"] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = "pass" | "fail" | "skipped";

export interface StepResult {
  name: StepName;
  status: StepStatus;
  durationMs: number;
  /** The command line that ran (absent for render and skipped steps). */
  command?: string;
  /** Why a step failed or was skipped, in one line. */
  message?: string;
  /** The last lines of the step's output; only for a failure. */
  log?: string;
  /** For a render failure: the template ("team pack/schemas/zod/src/options.ts.hbs") and line. */
  file?: string;
  line?: number;
}

export interface CombinationResult {
  id: string;
  target: Target;
  schema: Schema;
  packageName: string;
  /** Where it was generated, relative to the workspace: "packages/express-zod". */
  directory: string;
  status: "pass" | "fail";
  durationMs: number;
  steps: StepResult[];
}

export interface InstallResult {
  status: StepStatus;
  durationMs: number;
  command: string;
  message?: string;
  log?: string;
}

export interface Failure {
  /** A combination id, or "workspace" for the shared install. */
  combination: string;
  step: StepName | "install";
  message: string;
}

export interface CheckReport {
  version: 1;
  ok: boolean;
  durationMs: number;
  parallelism: number;
  /** The workspace folder when --keep kept it; null once removed. */
  workspace: string | null;
  template: string | null;
  options: string[];
  install: InstallResult;
  combinations: CombinationResult[];
  failures: Failure[];
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** npm's own chatter around a script: its banner, config warnings and the "Lifecycle script failed" trailer. */
const NPM_NOISE = /^(npm (warn|notice) |npm error (Lifecycle script|code \d+$|path |workspace |location |command failed|command sh -c)|> )/;

/**
 * A stack frame inside npm or Node itself ("    at Arborist.reify (/usr/lib/node_modules/npm/lib/...:1:2)"):
 * says nothing about the package. Frames in the package's own code (a failing test) are kept.
 */
const TOOL_STACK_FRAME = /^(npm (error|ERR!|verbose)\s+)?\s*at (.*[\\/]node_modules[\\/](npm|@npmcli)[\\/]|.*\bnode:internal[\\/]|.*[\\/]lib[\\/]node_modules[\\/]|.*\((native|<anonymous>)\)$|async Promise\.all)/;

/** The lines of a log that the tool itself printed, without colour codes, npm's chatter or its stack frames. */
export function logLines(output: string): string[] {
  return output
    .replace(ANSI, "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .filter((line) => !NPM_NOISE.test(line) && !TOOL_STACK_FRAME.test(line))
    .join("\n")
    .trim()
    .split("\n");
}

/** The last `lines` lines of a log, cleaned by logLines. */
export function logTail(output: string, lines = 40): string {
  const all = logLines(output);
  const tail = all.slice(-lines).join("\n");
  return all.length > lines ? `… (${all.length - lines} earlier lines)\n${tail}` : tail;
}

/** The first line that reads like an error (tsc's "error TS", a failed test, a thrown Error), if any. */
export function firstError(output: string): string | undefined {
  const lines = logLines(output);
  const patterns = [/error TS\d+/, /^not ok \d+/, /^\s*✖ /, /\b(Error|error)\b[:\s]/];
  for (const pattern of patterns) {
    const found = lines.find((line) => pattern.test(line));
    if (found) return found.trim().slice(0, 300);
  }
  return undefined;
}

export function failuresOf(install: InstallResult, combinations: readonly CombinationResult[]): Failure[] {
  const failures: Failure[] = [];
  if (install.status === "fail") failures.push({ combination: "workspace", step: "install", message: install.message ?? "npm install failed" });
  for (const result of combinations) {
    for (const step of result.steps) {
      if (step.status === "fail") failures.push({ combination: result.id, step: step.name, message: step.message ?? `${step.name} failed` });
    }
  }
  return failures;
}
