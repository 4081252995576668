/**
 * The packaging steps for every package at once, after the builds: one `npm pack --dry-run --json` at the
 * workspace root naming each package (`--workspace`), judged per package (pack-contents.ts); then publint,
 * loaded once from the workspace and run on each package's packed file list. Ten npm processes and ten
 * publint processes (each starting npm again for its own pack) become one npm process.
 *
 * A batch that fails as a whole (npm exits non-zero, an entry is missing) falls back to one `npm pack` per
 * package, so a broken package fails alone. Each package's pack time is its share of the batch.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatCommand } from "../system/package-manager.js";
import { logTail } from "../system/clean-output.js";
import { runCommand, type RunResult } from "../system/run-command.js";
import { packCommand } from "./commands.js";
import { childEnvironment } from "./child-environment.js";
import { packProblems } from "./pack-contents.js";
import type { StepResult } from "./report.js";
import { failureMessage } from "./steps.js";

export interface PackTarget {
  /** Absolute package folder. */
  directory: string;
  /** Its name in package.json. */
  packageName: string;
}

interface PackEntry {
  name?: string;
  files?: Array<{ path: string }>;
}

/** The entries of `npm pack --dry-run --json` output (after any lifecycle noise). */
export function packEntries(stdout: string): PackEntry[] {
  const start = stdout.indexOf("[");
  if (start === -1) throw new Error("npm pack printed no JSON");
  const parsed = JSON.parse(stdout.slice(start)) as unknown;
  if (!Array.isArray(parsed)) throw new Error("npm pack JSON is not a list");
  return parsed as PackEntry[];
}

const filesOf = (entry: PackEntry) => (entry.files ?? []).map((file) => file.path.split("\\").join("/")).sort();

function judgePack(command: string, durationMs: number, files: string[] | undefined, run: RunResult): StepResult {
  const base = { name: "pack" as const, durationMs, command };
  if (files === undefined) return { ...base, status: "fail", message: "npm pack listed no files for this package", log: logTail(run.output) };
  const problems = packProblems(files);
  if (problems.length > 0) return { ...base, status: "fail", message: problems.join("; "), log: files.join("\n") };
  return { ...base, status: "pass" };
}

/** The pack step of each target, in order, and each one's packed files (undefined where it failed). */
export async function packAll(
  workspaceRoot: string,
  targets: readonly PackTarget[],
  timeoutMs: number,
): Promise<Array<{ result: StepResult; files: string[] | undefined }>> {
  if (targets.length === 0) return [];
  const base = packCommand();
  const line = {
    ...base,
    args: [...base.args, ...targets.flatMap((target) => ["--workspace", path.relative(workspaceRoot, target.directory).split(path.sep).join("/")])],
  };
  const batch = await runCommand(line, { cwd: workspaceRoot, env: childEnvironment(), timeoutMs });
  let entries: PackEntry[] | undefined;
  if (batch.ok) {
    try {
      entries = packEntries(batch.stdout);
    } catch {
      entries = undefined;
    }
  }
  const byName = new Map((entries ?? []).map((entry) => [entry.name, entry]));
  if (entries && targets.every((target) => byName.has(target.packageName))) {
    const share = batch.durationMs / targets.length;
    const command = formatCommand(line);
    return targets.map((target) => {
      const files = filesOf(byName.get(target.packageName) as PackEntry);
      const result = judgePack(command, share, files, batch);
      return { result, files: result.status === "pass" ? files : undefined };
    });
  }
  // One package broke the batch: each on its own, so the report names the one that fails.
  const results: Array<{ result: StepResult; files: string[] | undefined }> = [];
  for (const target of targets) {
    const command = formatCommand(base);
    const run = await runCommand(base, { cwd: target.directory, env: childEnvironment(), timeoutMs });
    if (!run.ok) {
      results.push({
        result: {
          name: "pack",
          status: "fail",
          durationMs: run.durationMs,
          command,
          message: failureMessage(command, run),
          log: logTail(run.output),
        },
        files: undefined,
      });
      continue;
    }
    let files: string[] | undefined;
    try {
      files = filesOf(packEntries(run.stdout)[0] ?? {});
    } catch {
      files = undefined;
    }
    const result = judgePack(command, run.durationMs, files, run);
    results.push({ result, files: result.status === "pass" ? files : undefined });
  }
  return results;
}

interface PublintMessage {
  type: "error" | "warning" | "suggestion";
}
interface PublintModule {
  publint(options: {
    pkgDir: string;
    strict: boolean;
    pack: { files: Array<{ name: string; data: Uint8Array }> };
  }): Promise<{ messages: PublintMessage[]; pkg: unknown }>;
}
interface PublintUtils {
  formatMessage(message: PublintMessage, pkg: unknown): string | undefined;
}

/**
 * A native import() of an ES module by URL. The CLI is bundled as CommonJS, where the bundler would turn
 * a plain import() into require(), which cannot load a file: URL.
 */
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** The publint command line a person would run for the same judgement. */
const PUBLINT_COMMAND = "publint --strict (on the files npm pack lists)";

/**
 * publint on each package's packed files (strict: warnings fail too), with publint loaded once from the
 * workspace's node_modules. Targets without files (their pack failed) are skipped.
 */
export async function publintAll(workspaceRoot: string, targets: ReadonlyArray<PackTarget & { files: string[] | undefined }>): Promise<StepResult[]> {
  let api: { publint: PublintModule["publint"]; formatMessage: PublintUtils["formatMessage"] } | undefined;
  let loadError: string | undefined;
  try {
    const require = createRequire(path.join(workspaceRoot, "package.json"));
    const publint = (await importModule(pathToFileURL(require.resolve("publint")).href)) as PublintModule;
    const utils = (await importModule(pathToFileURL(require.resolve("publint/utils")).href)) as PublintUtils;
    api = { publint: publint.publint, formatMessage: utils.formatMessage };
  } catch (error) {
    loadError = `could not load publint from the workspace: ${(error as Error).message}`;
  }
  const results: StepResult[] = [];
  for (const target of targets) {
    if (target.files === undefined) {
      results.push({ name: "publint", status: "skipped", durationMs: 0, message: "the pack step failed" });
      continue;
    }
    if (!api) {
      results.push({ name: "publint", status: "fail", durationMs: 0, command: PUBLINT_COMMAND, message: loadError ?? "publint is missing" });
      continue;
    }
    const started = performance.now();
    try {
      const files = target.files.map((file) => ({
        name: path.join(target.directory, file).split(path.sep).join("/"),
        data: readFileSync(path.join(target.directory, file)),
      }));
      const { messages, pkg } = await api.publint({ pkgDir: target.directory.split(path.sep).join("/"), strict: true, pack: { files } });
      const errors = messages.filter((message) => message.type === "error");
      const durationMs = performance.now() - started;
      if (errors.length === 0) {
        results.push({ name: "publint", status: "pass", durationMs, command: PUBLINT_COMMAND });
        continue;
      }
      const texts = errors.map((message) => api!.formatMessage(message, pkg) ?? message.type).map((text) => text.replace(/\u001b\[[0-9;]*m/g, ""));
      results.push({
        name: "publint",
        status: "fail",
        durationMs,
        command: PUBLINT_COMMAND,
        message: `publint: ${texts[0]}${texts.length > 1 ? ` (and ${texts.length - 1} more)` : ""}`,
        log: texts.join("\n"),
      });
    } catch (error) {
      results.push({
        name: "publint",
        status: "fail",
        durationMs: performance.now() - started,
        command: PUBLINT_COMMAND,
        message: `publint failed: ${(error as Error).message}`,
      });
    }
  }
  return results;
}
