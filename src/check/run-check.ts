/**
 * The matrix check: render every combination into one temporary npm workspace, install once, then run each
 * package's steps, a bounded number of packages at a time. Returns the report; never throws for a failing
 * package (only for a broken machine: no temp dir, no npm).
 */
import os from "node:os";
import path from "node:path";
import { formatCommand } from "../package-manager.js";
import type { OptionField } from "../option-fields.js";
import { TemplateError } from "../render.js";
import { guardAgainstInterrupt } from "../interrupt.js";
import { installCommand } from "./commands.js";
import type { Combination } from "./matrix.js";
import type { LoadedPack } from "../packs/load-pack.js";
import { runPool } from "./pool.js";
import type { CheckProgress } from "./progress.js";
import { logTail } from "../clean-output.js";
import { failuresOf, type CheckReport, type CombinationResult, type InstallResult, type StepResult } from "./report.js";
import { runCommand } from "../run-command.js";
import { childEnvironment } from "./environment.js";
import { PACKAGE_STEPS, failureMessage, runPackageSteps } from "./steps.js";
import type { Shard } from "./shard.js";
import { createWorkspace, packageDirectory, removeWorkspace, renderCombination, unrendered, type RenderedCombination } from "./workspace.js";

export const INSTALL_TIMEOUT_MS = 10 * 60_000;

export interface MatrixCheckOptions {
  combinations: readonly Combination[];
  /** Option fields for every package; undefined: each target's starter set. */
  fields: OptionField[] | undefined;
  /** The --option specs as given, for the report. */
  optionSpecs: readonly string[];
  /** The team pack, loaded once for the whole matrix. */
  template: LoadedPack | undefined;
  /** How the report names the pack: its folder (or tarball). */
  templateLabel?: string | undefined;
  /** Answers to the pack's questions, the same for every combination. */
  vars?: Record<string, unknown>;
  /** The --shard these combinations are, for the report. */
  shard?: Shard | undefined;
  keep: boolean;
  cwd: string;
  parallelism?: number;
  progress: CheckProgress;
  /** Told the workspace path when it is kept (also on Ctrl-C). */
  onKept?: (root: string) => void;
}

async function render(root: string, combination: Combination, options: MatrixCheckOptions, rendered: Map<string, RenderedCombination>): Promise<StepResult> {
  const started = performance.now();
  try {
    const result = await renderCombination(root, combination, options);
    rendered.set(combination.id, result);
    return { name: "render", status: "pass", durationMs: performance.now() - started, message: `${result.files.length} files` };
  } catch (error) {
    const durationMs = performance.now() - started;
    rendered.set(combination.id, unrendered(combination, options));
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TemplateError) {
      return { name: "render", status: "fail", durationMs, message, file: error.file, ...(error.line === undefined ? {} : { line: error.line }) };
    }
    return { name: "render", status: "fail", durationMs, message };
  }
}

async function install(root: string, anyRendered: boolean): Promise<InstallResult> {
  const line = installCommand();
  const command = formatCommand(line);
  if (!anyRendered) return { status: "skipped", durationMs: 0, command, message: "no combination rendered" };
  const run = await runCommand(line, { cwd: root, env: childEnvironment(), timeoutMs: INSTALL_TIMEOUT_MS });
  if (run.ok) return { status: "pass", durationMs: run.durationMs, command };
  const message = failureMessage(command, run);
  return { status: "fail", durationMs: run.durationMs, command, message, log: logTail(run.output) };
}

const skipAll = (message: string): StepResult[] => PACKAGE_STEPS.map((name) => ({ name, status: "skipped", durationMs: 0, message }));

/** The report, plus what reporters need to point a problem at its template (by combination id). */
export interface MatrixCheckOutcome {
  report: CheckReport;
  rendered: Map<string, RenderedCombination>;
}

export async function runMatrixCheck(options: MatrixCheckOptions): Promise<MatrixCheckOutcome> {
  const started = performance.now();
  const parallelism = options.parallelism ?? os.availableParallelism();
  const { progress } = options;
  const root = await createWorkspace();
  // On Ctrl-C the running commands are stopped first (run-command.ts registered them later), then this.
  const cleanUp = () => {
    if (options.keep) options.onKept?.(root);
    else removeWorkspace(root);
  };
  return guardAgainstInterrupt(cleanUp, async () => {
    try {
      progress.phase(`rendering ${options.combinations.length} packages`);
      const renders: StepResult[] = [];
      const rendered = new Map<string, RenderedCombination>();
      for (const combination of options.combinations) {
        const result = await render(root, combination, options, rendered);
        renders.push(result);
        progress.finished(combination.id, result);
      }

      progress.phase("installing (npm install, shared workspace)");
      const installed = await install(root, renders.some((result) => result.status === "pass"));
      progress.installed(installed);

      progress.phase(`checking, ${parallelism} at a time`);
      const combinations = await runPool(options.combinations, parallelism, async (combination, index): Promise<CombinationResult> => {
        const rendered = renders[index] as StepResult;
        let steps: StepResult[];
        if (rendered.status !== "pass") steps = skipAll("the templates did not render");
        else if (installed.status !== "pass") steps = skipAll("the workspace install failed");
        else {
          steps = await runPackageSteps(
            { workspaceRoot: root, packageDirectory: packageDirectory(root, combination) },
            (result) => progress.finished(combination.id, result),
            (step) => progress.started(combination.id, step),
          );
        }
        const all = [rendered, ...steps];
        return {
          id: combination.id,
          target: combination.target,
          schema: combination.schema,
          starter: combination.starter,
          packageName: combination.packageName,
          directory: path.posix.join("packages", combination.slug),
          status: all.every((step) => step.status === "pass") && installed.status === "pass" ? "pass" : "fail",
          durationMs: all.reduce((sum, step) => sum + step.durationMs, 0),
          steps: all,
        };
      });

      const failures = failuresOf(installed, combinations);
      const report: CheckReport = {
        version: 1,
        ok: failures.length === 0 && combinations.every((result) => result.status === "pass"),
        durationMs: performance.now() - started,
        parallelism,
        workspace: options.keep ? root : null,
        template: options.templateLabel ?? null,
        options: [...options.optionSpecs],
        shard: options.shard ?? null,
        install: installed,
        combinations,
        failures,
      };
      return { report, rendered };
    } finally {
      if (!options.keep) removeWorkspace(root);
    }
  });
}
