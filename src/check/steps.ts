/**
 * The steps run in each generated package, in order: typecheck, lint, build, test, pack, publint. A failed
 * build skips the two packaging steps (they need dist/); everything else runs, so one report shows every
 * problem. Here: the script steps, and how a finished command is judged.
 */
import { packedFiles, packProblems } from "./pack-contents.js";
import { firstError, logTail } from "../system/clean-output.js";
import { biomeErrors, describeLintProblems } from "./lint-output.js";
import type { StepName, StepResult } from "./report.js";
import type { RunResult } from "../system/run-command.js";
import { runScript } from "./scripts.js";

export const STEP_TIMEOUT_MS = 5 * 60_000;

export const PACKAGE_STEPS = ["typecheck", "lint", "build", "test", "pack", "publint"] as const satisfies readonly StepName[];
export type PackageStep = (typeof PACKAGE_STEPS)[number];

export interface StepContext {
  workspaceRoot: string;
  packageDirectory: string;
  timeoutMs?: number;
  /** check --offline: an npx in a script fetches nothing (npm's offline mode). */
  offline?: boolean;
}

export function failureMessage(command: string, run: RunResult): string {
  if (run.failure === "timed-out") return `${command} timed out`;
  const first = firstError(run.output);
  return `${command} exited with ${run.exitCode ?? "a signal"}${first ? `: ${first}` : ""}`;
}

/** npm's codes for a package it could not fetch: not in its cache under --offline, or no registry. */
const NOT_FETCHED = /npm (?:error|ERR!) code (ENOTCACHED|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN)\b/;

/**
 * A failed lint names the files Biome found errors in; a tool npx could not fetch says so and how to fix
 * it; another linter's output gives its first error line.
 */
function lintFailureMessage(command: string, run: RunResult): string {
  const problems = biomeErrors(run.output);
  if (run.failure === "timed-out") return failureMessage(command, run);
  if (problems.length > 0) return `${command} exited with ${run.exitCode ?? "a signal"}: ${describeLintProblems(problems)}`;
  const code = NOT_FETCHED.exec(run.output)?.[1];
  if (code !== undefined) {
    return (
      `${command} could not fetch its linter (${code}): only the Biome the generated lint script pins is installed with the ` +
      "workspace; run the check once with the registry reachable (without --offline) so npm caches the pack's linter"
    );
  }
  return failureMessage(command, run);
}

/** Turns a finished command into a step result; the pack step also judges the tarball's contents. */
export function judge(step: PackageStep, command: string, run: RunResult): StepResult {
  const base = { name: step, durationMs: run.durationMs, command };
  if (!run.ok) {
    const message = step === "lint" ? lintFailureMessage(command, run) : failureMessage(command, run);
    return { ...base, status: "fail", message, log: logTail(run.output) };
  }
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

/**
 * The steps that run a package's own scripts, in order; pack and publint run for all packages at once
 * (packaging.ts). lint comes right after typecheck and before build: the generated CI lints a fresh
 * checkout, before anything built dist/ or ran the tests, so the check lints the same files (a pack whose
 * Biome configuration forgets dist/ passes its CI and must pass here too). Next to typecheck, the two
 * source checks open the report, before the slower build and test.
 */
const SCRIPT_STEPS = ["typecheck", "lint", "build", "test"] as const satisfies readonly PackageStep[];

/**
 * Scripts a package may leave out: a pack may drop `lint` from package.json (and from its CI), so the step
 * is skipped with the reason, not failed. typecheck, build and test are what check proves: their absence fails.
 */
const OPTIONAL_SCRIPTS: ReadonlySet<PackageStep> = new Set(["lint"]);

/**
 * What the scripts' npx calls may fetch. The workspace installs the Biome the generated `lint` script
 * names (workspace.ts), so `npx --yes @biomejs/biome@<version>` starts that copy (scripts.ts) and nothing
 * is downloaded; a pack's other tool comes from npm's cache without asking the registry when it is there
 * (prefer-offline), and with --offline only from there.
 */
export function scriptEnvironment(offline: boolean): NodeJS.ProcessEnv {
  return offline ? { npm_config_offline: "true" } : { npm_config_prefer_offline: "true" };
}

/**
 * typecheck, lint, build and test in one package, each its package.json script (scripts.ts). All four run
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
    const { command, run, missing } = await runScript(step, {
      packageDirectory: context.packageDirectory,
      workspaceRoot: context.workspaceRoot,
      timeoutMs: context.timeoutMs ?? STEP_TIMEOUT_MS,
      env: { ...process.env, ...scriptEnvironment(context.offline ?? false) },
    });
    let result: StepResult;
    if (missing === undefined) result = judge(step, command, run);
    else if (OPTIONAL_SCRIPTS.has(step)) result = { name: step, status: "skipped", durationMs: 0, message: missing };
    else result = { name: step, status: "fail", durationMs: 0, command, message: missing };
    results.push(result);
    onStep(result);
  }
  return results;
}
