/**
 * The steps run in each generated package, in order: typecheck, build, test, pack, publint. A failed build
 * skips the two packaging steps (they need dist/); everything else runs, so one report shows every problem.
 * Here: the script steps, and how a finished command is judged.
 */
import { packedFiles, packProblems } from "./pack-contents.js";
import { firstError, logTail } from "../system/clean-output.js";
import type { StepName, StepResult } from "./report.js";
import type { RunResult } from "../system/run-command.js";
import { runScript } from "./scripts.js";

export const STEP_TIMEOUT_MS = 5 * 60_000;

export const PACKAGE_STEPS = ["typecheck", "build", "test", "pack", "publint"] as const satisfies readonly StepName[];
export type PackageStep = (typeof PACKAGE_STEPS)[number];

export interface StepContext {
  workspaceRoot: string;
  packageDirectory: string;
  timeoutMs?: number;
}

export function failureMessage(command: string, run: RunResult): string {
  if (run.failure === "timed-out") return `${command} timed out`;
  const first = firstError(run.output);
  return `${command} exited with ${run.exitCode ?? "a signal"}${first ? `: ${first}` : ""}`;
}

/** Turns a finished command into a step result; the pack step also judges the tarball's contents. */
export function judge(step: PackageStep, command: string, run: RunResult): StepResult {
  const base = { name: step, durationMs: run.durationMs, command };
  if (!run.ok) return { ...base, status: "fail", message: failureMessage(command, run), log: logTail(run.output) };
  if (step === "pack") {
    let problems: string[];
    try {
      problems = packProblems(packedFiles(run.stdout));
    } catch (error) {
      problems = [`could not read the file list: ${(error as Error).message}`];
    }
    if (problems.length > 0) return { ...base, status: "fail", message: problems.join("; "), log: logTail(run.output) };
  }
  return { ...base, status: "pass" };
}

/** The steps that run a package's own scripts, in order; pack and publint run for all packages at once (packaging.ts). */
const SCRIPT_STEPS = ["typecheck", "build", "test"] as const satisfies readonly PackageStep[];

/**
 * typecheck, build and test in one package, each its package.json script (scripts.ts). All three run
 * whatever fails, so one report shows every problem.
 */
export async function runScriptSteps(
  context: StepContext,
  onStep: (result: StepResult) => void,
  onStart?: (step: PackageStep) => void,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of SCRIPT_STEPS) {
    onStart?.(step);
    const { command, run } = await runScript(step, {
      packageDirectory: context.packageDirectory,
      workspaceRoot: context.workspaceRoot,
      timeoutMs: context.timeoutMs ?? STEP_TIMEOUT_MS,
    });
    const result = judge(step, command, run);
    results.push(result);
    onStep(result);
  }
  return results;
}
