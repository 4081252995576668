/**
 * The matrix check: render every combination into one temporary npm workspace, install once (or link the
 * node_modules cached for the same manifests), run each package's scripts a bounded number of packages at a
 * time, then pack and lint every built package at once. Returns the report; never throws for a failing
 * package (only for a broken machine: no temp dir, no npm).
 */
import os from "node:os";
import path from "node:path";
import { formatCommand } from "../system/package-manager.js";
import type { OptionField } from "../answers/option-fields.js";
import { TemplateError } from "../render/render.js";
import { guardAgainstInterrupt } from "../system/interrupt.js";
import { installCommand } from "./commands.js";
import type { Combination } from "./matrix.js";
import type { LoadedPack } from "../packs/load-pack.js";
import { runPool } from "./pool.js";
import type { CheckProgress } from "./progress.js";
import { logTail } from "../system/clean-output.js";
import { combinationStatus, failuresOf, type CheckReport, type CombinationResult, type InstallResult, type StepResult } from "./report.js";
import { runCommand } from "../system/run-command.js";
import { childEnvironment } from "./child-environment.js";
import { PACKAGE_STEPS, STEP_TIMEOUT_MS, failureMessage, runScriptSteps } from "./steps.js";
import { discardEntry, finishEntry, freshEntry, installKey, linkEntry, pruneEntries, startEntry, workspaceManifests } from "./install-cache.js";
import { countOf } from "../system/output.js";
import { packAll, publintAll } from "./packaging.js";
import type { Shard } from "./shard.js";
import { createWorkspace, packageDirectory, removeWorkspace, renderCombination, unrendered, type RenderedCombination } from "./workspace.js";

const INSTALL_TIMEOUT_MS = 10 * 60_000;

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
  /** check --offline: the packages' scripts may fetch nothing through npx (steps.ts). */
  offline?: boolean;
  /** The cache folder whose node_modules entries the install reuses (install-cache.ts); false: install afresh. */
  installCache?: string | false;
  keep: boolean;
  cwd: string;
  parallelism?: number;
  progress: CheckProgress;
  /** Told the workspace path when it is kept (also on Ctrl-C). */
  onKept?: (root: string) => void;
}

async function render(
  root: string,
  combination: Combination,
  options: MatrixCheckOptions,
  rendered: Map<string, RenderedCombination>,
): Promise<StepResult> {
  const started = performance.now();
  try {
    const result = await renderCombination(root, combination, options);
    rendered.set(combination.id, result);
    return { name: "render", status: "pass", durationMs: performance.now() - started, message: countOf(result.files.length, "file") };
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

/**
 * The shared install: linked from the node_modules cache when it holds these manifests (install-cache.ts),
 * else `npm install` (into a new cache entry when a cache is given, else into the workspace).
 */
async function install(root: string, packageFolders: readonly string[], cacheRoot: string | false): Promise<InstallResult> {
  const line = installCommand();
  const command = formatCommand(line);
  if (packageFolders.length === 0) return { status: "skipped", durationMs: 0, command, message: "no combination rendered" };
  const started = performance.now();
  let key: string | undefined;
  let staging: string | undefined;
  if (cacheRoot !== false) {
    try {
      const manifests = workspaceManifests(root, packageFolders);
      key = installKey(manifests);
      const fresh = freshEntry(cacheRoot, key);
      if (fresh) {
        linkEntry(fresh.entry, root, packageFolders);
        const hours = fresh.ageMs / 3_600_000;
        const age = hours < 1 ? `${Math.round(fresh.ageMs / 60_000)} min` : `${hours.toFixed(1)} h`;
        return {
          status: "pass",
          durationMs: performance.now() - started,
          command,
          cached: true,
          message: `node_modules reused from ${fresh.entry} (installed ${age} ago)`,
        };
      }
      staging = startEntry(cacheRoot, key, manifests);
    } catch {
      // An unusable cache (read-only, full disk) costs speed, not the check: install in the workspace.
      if (staging) discardEntry(staging);
      staging = undefined;
    }
  }
  const installInto = staging;
  const runInstall = () => runCommand(line, { cwd: installInto ?? root, env: childEnvironment(), timeoutMs: INSTALL_TIMEOUT_MS });
  // Ctrl-C during an install into the cache leaves no half-written entry behind.
  const run = installInto ? await guardAgainstInterrupt(() => discardEntry(installInto), runInstall) : await runInstall();
  if (!run.ok) {
    if (staging) discardEntry(staging);
    return { status: "fail", durationMs: run.durationMs, command, message: failureMessage(command, run), log: logTail(run.output) };
  }
  if (staging && key !== undefined && cacheRoot !== false) {
    try {
      const entry = finishEntry(staging, cacheRoot, key);
      linkEntry(entry, root, packageFolders);
      pruneEntries(cacheRoot);
      return {
        status: "pass",
        durationMs: performance.now() - started,
        command,
        cached: false,
        message: `installed into the node_modules cache (${entry})`,
      };
    } catch (error) {
      discardEntry(staging);
      return {
        status: "fail",
        durationMs: performance.now() - started,
        command,
        message: `could not use the node_modules cache: ${(error as Error).message}; run again with --no-cache`,
      };
    }
  }
  return { status: "pass", durationMs: run.durationMs, command, cached: false };
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
      progress.phase(`rendering ${countOf(options.combinations.length, "package")}`);
      const renders: StepResult[] = [];
      const rendered = new Map<string, RenderedCombination>();
      for (const combination of options.combinations) {
        const result = await render(root, combination, options, rendered);
        renders.push(result);
        progress.finished(combination.id, result);
      }

      progress.phase("installing (npm install, shared workspace)");
      const renderedFolders = options.combinations
        .filter((_, index) => renders[index]?.status === "pass")
        .map((combination) => path.posix.join("packages", combination.slug));
      const installed = await install(root, renderedFolders, options.installCache ?? false);
      progress.installed(installed);

      progress.phase(`checking, ${parallelism} at a time`);
      const scripted = await runPool(options.combinations, parallelism, async (combination, index): Promise<StepResult[] | undefined> => {
        if (renders[index]?.status !== "pass" || installed.status !== "pass") return undefined;
        return runScriptSteps(
          { workspaceRoot: root, packageDirectory: packageDirectory(root, combination), offline: options.offline ?? false },
          (result) => progress.finished(combination.id, result),
          (step) => progress.started(combination.id, step),
        );
      });

      // Packaging, for every package whose build passed, at once (packaging.ts).
      progress.phase("packing (npm pack, publint)");
      const built = options.combinations.filter((_, index) => scripted[index]?.find((step) => step.name === "build")?.status === "pass");
      const targets = built.map((combination) => ({ directory: packageDirectory(root, combination), packageName: combination.packageName }));
      const packed = await packAll(root, targets, STEP_TIMEOUT_MS);
      const linted = await publintAll(
        root,
        targets.map((target, index) => ({ ...target, files: packed[index]?.files })),
      );
      const packaging = new Map(
        built.map((combination, index) => [combination.id, [packed[index]?.result as StepResult, linted[index] as StepResult]]),
      );
      for (const combination of built) for (const step of packaging.get(combination.id) ?? []) progress.finished(combination.id, step);

      const combinations = options.combinations.map((combination, index): CombinationResult => {
        const rendered = renders[index] as StepResult;
        let steps: StepResult[];
        const scripts = scripted[index];
        if (rendered.status !== "pass") steps = skipAll("the templates did not render");
        else if (!scripts) steps = skipAll("the workspace install failed");
        else {
          const skipped = (name: "pack" | "publint"): StepResult => ({ name, status: "skipped", durationMs: 0, message: "the build failed" });
          steps = [...scripts, ...(packaging.get(combination.id) ?? [skipped("pack"), skipped("publint")])];
        }
        const all = [rendered, ...steps];
        return {
          id: combination.id,
          target: combination.target,
          schema: combination.schema,
          starter: combination.starter,
          packageName: combination.packageName,
          directory: path.posix.join("packages", combination.slug),
          status: combinationStatus(all, installed),
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
