/**
 * `check --snapshot <dir>`: every combination rendered in memory (no install, no processes) and compared,
 * file by file, with the committed copy in `<dir>/<combination folder>/`. `update` rewrites the copies
 * instead (only the files that differ; files no template produces any more are deleted). Never throws for
 * a difference or a template that does not render: those are results in the report.
 *
 * Each combination renders as if it lived in its snapshot folder, so anything a template derives from the
 * package's place (a relative path to the pack) is the same on every machine.
 */
import { lstatSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileDiff } from "../file-diff.js";
import { TemplateError } from "../render.js";
import type { PlannedFile } from "../plan.js";
import { writePackage } from "../write.js";
import type { Combination } from "./matrix.js";
import type { Shard } from "./shard.js";
import { planCombination, unrendered, type RenderOptions, type RenderedCombination } from "./workspace.js";

export interface SnapshotOptions extends RenderOptions {
  /** How the report names the pack: its folder or tarball. */
  templateLabel?: string | undefined;
  combinations: readonly Combination[];
  /** The snapshot folder, absolute. */
  directory: string;
  update: boolean;
  /** The whole matrix is checked (no --shard, --target, --schema): folders of no combination are stale. */
  complete: boolean;
  shard: Shard | undefined;
  /** The --option specs as given, for the report. */
  optionSpecs: readonly string[];
}

export interface FileDiff {
  /** Path inside the package: "src/index.ts". */
  file: string;
  change: "changed" | "added" | "removed";
  /** The template that produced the file ("schemas/zod/src/options.ts.hbs"); absent for a removed file. */
  source?: string;
  /** Unified diff, committed copy -> rendered now. */
  diff: string;
}

export interface SnapshotResult {
  id: string;
  /** The combination's folder, relative to the snapshot folder: "express-zod". */
  directory: string;
  /** pass: identical; fail: differs or does not render; updated: --update rewrote it. */
  status: "pass" | "fail" | "updated";
  files: number;
  differences: FileDiff[];
  /** When the templates did not render. */
  render?: { message: string; file?: string; line?: number };
}

export interface SnapshotReport {
  version: 1;
  mode: "snapshot";
  ok: boolean;
  durationMs: number;
  directory: string;
  updated: boolean;
  shard: Shard | null;
  template: string | null;
  options: string[];
  combinations: SnapshotResult[];
  /** Folders in the snapshot folder that belong to no combination (only judged for the whole matrix). */
  stale: string[];
  failures: Array<{ combination: string; step: "render" | "snapshot"; message: string }>;
}

/** Internal: the report plus what reporters need to point at templates. */
export interface SnapshotOutcome {
  report: SnapshotReport;
  rendered: Map<string, RenderedCombination>;
}

/** Every file under `root`, relative with forward slashes; [] when it does not exist. Symbolic links are not followed. */
function filesUnder(root: string): string[] {
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

function describeDiff(slug: string, file: string, before: Buffer | undefined, after: Buffer | undefined): Promise<string> {
  return fileDiff(before, after, { old: before === undefined ? "/dev/null" : `a/${slug}/${file}`, new: after === undefined ? "/dev/null" : `b/${slug}/${file}` });
}

async function compare(folder: string, slug: string, files: readonly PlannedFile[]): Promise<FileDiff[]> {
  const differences: FileDiff[] = [];
  const planned = new Set(files.map((file) => file.path));
  for (const file of files) {
    const committed = path.join(folder, ...file.path.split("/"));
    const info = lstatSync(committed, { throwIfNoEntry: false });
    const before = info?.isFile() ? readFileSync(committed) : undefined;
    if (before?.equals(file.contents)) continue;
    differences.push({ file: file.path, change: before === undefined ? "added" : "changed", source: file.source, diff: await describeDiff(slug, file.path, before, file.contents) });
  }
  for (const file of filesUnder(folder)) {
    if (planned.has(file)) continue;
    const before = readFileSync(path.join(folder, ...file.split("/")));
    differences.push({ file, change: "removed", diff: await describeDiff(slug, file, before, undefined) });
  }
  return differences.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Rewrites what differs: changed and added files through the one writer, removed ones deleted. */
async function rewrite(folder: string, files: readonly PlannedFile[], differences: readonly FileDiff[]): Promise<void> {
  const changed = new Set(differences.filter((entry) => entry.change !== "removed").map((entry) => entry.file));
  // A new folder is written whole; an existing one gets only its changed files (each atomically).
  const exists = statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const toWrite = files.filter((file) => changed.has(file.path));
  if (toWrite.length > 0) await writePackage(folder, exists ? toWrite : [...files], { force: exists });
  for (const entry of differences) {
    if (entry.change === "removed") rmSync(path.join(folder, ...entry.file.split("/")), { force: true });
  }
  removeEmptyFolders(folder);
}

function removeEmptyFolders(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const inner = path.join(folder, entry.name);
    removeEmptyFolders(inner);
    if (readdirSync(inner).length === 0) rmSync(inner, { recursive: true });
  }
}

/** A folder of the snapshot folder that belongs to no combination, and looks like a rendered package. */
function staleFolders(directory: string, combinations: readonly Combination[]): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const known = new Set(combinations.map((combination) => combination.slug));
  return entries.filter((entry) => entry.isDirectory() && !known.has(entry.name)).map((entry) => entry.name).sort();
}

/**
 * The answers file records the pack's resolved version; for a folder or tarball that is a hash of its
 * files, and the snapshots usually live in the pack: each update would change the hash and so every
 * snapshot. Snapshots record what the templates render, so that one value is a fixed placeholder there.
 */
export const SNAPSHOT_PACK_RESOLVED = "(the pack under check)";

export async function runSnapshotCheck(options: SnapshotOptions): Promise<SnapshotOutcome> {
  const started = performance.now();
  const local = options.template && (options.template.source.kind === "folder" || options.template.source.kind === "tarball");
  const renderOptions: RenderOptions = local ? { ...options, template: { ...options.template!, resolved: SNAPSHOT_PACK_RESOLVED } } : options;
  const results: SnapshotResult[] = [];
  const rendered = new Map<string, RenderedCombination>();
  for (const combination of options.combinations) {
    const folder = path.join(options.directory, combination.slug);
    let render: RenderedCombination;
    try {
      render = await planCombination(folder, combination, renderOptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const where = error instanceof TemplateError ? { file: error.file, ...(error.line === undefined ? {} : { line: error.line }) } : {};
      rendered.set(combination.id, unrendered(combination, renderOptions));
      results.push({ id: combination.id, directory: combination.slug, status: "fail", files: 0, differences: [], render: { message, ...where } });
      continue;
    }
    rendered.set(combination.id, render);
    const differences = await compare(folder, combination.slug, render.files);
    let status: SnapshotResult["status"] = differences.length === 0 ? "pass" : "fail";
    if (options.update && differences.length > 0) {
      await rewrite(folder, render.files, differences);
      status = "updated";
    }
    results.push({ id: combination.id, directory: combination.slug, status, files: render.files.length, differences });
  }

  let stale = options.complete ? staleFolders(options.directory, options.combinations) : [];
  if (options.update && stale.length > 0) {
    // Only what looks like a rendered package is deleted: a snapshot folder pointed at the wrong place
    // must not cost anyone their files.
    const removable = stale.filter((name) => statSync(path.join(options.directory, name, "package.json"), { throwIfNoEntry: false })?.isFile());
    for (const name of removable) rmSync(path.join(options.directory, name), { recursive: true, force: true });
    stale = stale.filter((name) => !removable.includes(name));
  }

  const failures: SnapshotReport["failures"] = [];
  for (const result of results) {
    if (result.render) failures.push({ combination: result.id, step: "render", message: result.render.message });
    else if (result.status === "fail") {
      const files = result.differences.map((entry) => `${entry.file} (${entry.change})`).join(", ");
      failures.push({ combination: result.id, step: "snapshot", message: `differs from ${result.directory}/: ${files}` });
    }
  }
  for (const name of stale) failures.push({ combination: name, step: "snapshot", message: `${name}/ belongs to no combination of the matrix; delete it (or run with --update)` });

  const report: SnapshotReport = {
    version: 1,
    mode: "snapshot",
    ok: failures.length === 0,
    durationMs: performance.now() - started,
    directory: options.directory,
    updated: options.update,
    shard: options.shard ?? null,
    template: options.templateLabel ?? null,
    options: [...options.optionSpecs],
    combinations: results,
    stale,
    failures,
  };
  return { report, rendered };
}
