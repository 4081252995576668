/**
 * The check report: what `--json` prints (docs/check.md documents the shape) and what the table shows.
 */
import type { Schema } from "../tables/schemas.js";
import type { Target } from "../tables/targets.js";
import type { Shard } from "./shard.js";

/** In the order they run; steps.ts says why lint comes where it does. */
export const STEP_NAMES = ["render", "typecheck", "lint", "build", "test", "pack", "publint"] as const;
export type StepName = (typeof STEP_NAMES)[number];
type StepStatus = "pass" | "fail" | "skipped";

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
  starter: string;
  packageName: string;
  /** Where it was generated, relative to the workspace: "packages/express-zod-logger". */
  directory: string;
  status: "pass" | "fail";
  durationMs: number;
  steps: StepResult[];
}

export interface InstallResult {
  status: StepStatus;
  durationMs: number;
  command: string;
  /** true: node_modules came from the cache and nothing was installed; false: installed now. */
  cached?: boolean;
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
  /** The --shard this run checked; null for the whole selection. */
  shard: Shard | null;
  install: InstallResult;
  combinations: CombinationResult[];
  failures: Failure[];
}

/**
 * A combination passes when no step failed and the shared install passed. A skipped step fails nothing by
 * itself (lint in a package without a lint script); the steps skipped after a failed render, install or
 * build come with that failure.
 */
export function combinationStatus(steps: readonly StepResult[], install: Pick<InstallResult, "status">): "pass" | "fail" {
  return install.status === "pass" && steps.every((step) => step.status !== "fail") ? "pass" : "fail";
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
