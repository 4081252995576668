/**
 * The steps run in each generated package, in order: typecheck, build, test, pack, publint. A failed build
 * skips the two packaging steps (they need dist/); everything else runs, so one report shows every problem.
 */
import { formatCommand, type CommandLine } from "../package-manager.js";
import { packCommand, publintCommand, scriptCommand } from "./commands.js";
import { packedFiles, packProblems } from "./pack-contents.js";
import { firstError, logTail } from "../clean-output.js";
import type { StepName, StepResult } from "./report.js";
import { runCommand, type RunResult } from "../run-command.js";
import { childEnvironment } from "./environment.js";

export const STEP_TIMEOUT_MS = 5 * 60_000;

export const PACKAGE_STEPS = ["typecheck", "build", "test", "pack", "publint"] as const satisfies readonly StepName[];
export type PackageStep = (typeof PACKAGE_STEPS)[number];

export interface StepContext {
  workspaceRoot: string;
  packageDirectory: string;
  timeoutMs?: number;
}

function commandFor(step: PackageStep, context: StepContext): CommandLine {
  switch (step) {
    case "typecheck":
    case "build":
    case "test":
      return scriptCommand(step);
    case "pack":
      return packCommand();
    case "publint":
      return publintCommand(context.workspaceRoot);
  }
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

export async function runPackageSteps(context: StepContext, onStep: (result: StepResult) => void, onStart?: (step: PackageStep) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let buildFailed = false;
  for (const step of PACKAGE_STEPS) {
    const line = commandFor(step, context);
    const command = formatCommand(line);
    let result: StepResult;
    if (buildFailed && (step === "pack" || step === "publint")) {
      result = { name: step, status: "skipped", durationMs: 0, message: "the build failed" };
    } else {
      onStart?.(step);
      const run = await runCommand(line, {
        cwd: context.packageDirectory,
        env: childEnvironment(),
        timeoutMs: context.timeoutMs ?? STEP_TIMEOUT_MS,
      });
      result = judge(step, command, run);
    }
    if (step === "build" && result.status !== "pass") buildFailed = true;
    results.push(result);
    onStep(result);
  }
  return results;
}
