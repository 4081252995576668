/**
 * `check --snapshot <dir>`: every combination rendered in memory (no install, no processes) and compared,
 * file by file, with the committed copy in `<dir>/<combination folder>/`. `update` rewrites the copies
 * instead (only the files that differ; files no template produces any more are deleted). Never throws for
 * a difference or a template that does not render: those are results in the report.
 *
 * Each combination renders as if it lived in its snapshot folder, so anything a template derives from the
 * package's place (a relative path to the pack) is the same on every machine.
 */
import { lstatSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileDiff } from "../write/file-diff.js";
import { UsageError } from "../errors.js";
import { TemplateError } from "../render/render.js";
import type { PlannedFile } from "../render/plan.js";
import { readUserFile } from "../system/read-user-file.js";
import { writePackage } from "../write/write.js";
import type { Combination } from "./matrix.js";
import type { Shard } from "./shard.js";
import { inspectSnapshotFolder, SNAPSHOT_MARKER, SNAPSHOT_MARKER_TEXT, type SnapshotFolder } from "./snapshot-folder.js";
import { planCombination, unrendered, type RenderOptions, type RenderedCombination } from "./workspace.js";

export interface SnapshotOptions extends RenderOptions {
  /** How the report names the pack: its folder or tarball. */
  templateLabel?: string | undefined;
  combinations: readonly Combination[];
  /** The snapshot folder, absolute. */
  directory: string;
  /** The --snapshot value as given, for messages; defaults to `directory`. */
  given?: string;
  update: boolean;
  /** The whole matrix is checked (no --shard, --target, --schema): folders of no combination are stale. */
  complete: boolean;
  shard: Shard | undefined;
  /** The --option specs as given, for the report. */
  optionSpecs: readonly string[];
}

interface FileDiff {
  /** Path inside the package: "src/index.ts". */
  file: string;
  change: "changed" | "added" | "removed";
  /** The template that produced the file ("schemas/zod/src/options.ts.hbs"); absent for a removed file. */
  source?: string;
  /** Unified diff, committed copy -> rendered now. */
  diff: string;
}

interface SnapshotResult {
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
  /** Stale folders --update deleted (each one check wrote: see snapshot-folder.ts). */
  deleted: string[];
  /** Folders from before the marker file that --update adopted (wrote the marker into). */
  adopted: string[];
  failures: Array<{ combination: string; step: "render" | "snapshot"; message: string }>;
}

/** Internal: the report plus what reporters need to point at templates. */
export interface SnapshotOutcome {
  report: SnapshotReport;
  rendered: Map<string, RenderedCombination>;
}

/**
 * Every file under `root`, relative with forward slashes, but the marker; [] when it does not exist.
 * (inspectSnapshotFolder has refused links and special files already.)
 */
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
    .filter((file) => file !== SNAPSHOT_MARKER)
    .sort();
}

const readSnapshotFile = (file: string) => readUserFile(file, { what: "The snapshot file", noLinks: true });

function describeDiff(slug: string, file: string, before: Buffer | undefined, after: Buffer | undefined): Promise<string> {
  return fileDiff(before, after, {
    old: before === undefined ? "/dev/null" : `a/${slug}/${file}`,
    new: after === undefined ? "/dev/null" : `b/${slug}/${file}`,
  });
}

async function compare(folder: string, slug: string, files: readonly PlannedFile[]): Promise<FileDiff[]> {
  const differences: FileDiff[] = [];
  const planned = new Set(files.map((file) => file.path));
  for (const file of files) {
    const committed = path.join(folder, ...file.path.split("/"));
    const info = lstatSync(committed, { throwIfNoEntry: false });
    // Never through a link, never a pipe, never a huge file (read-user-file.ts), even if swapped in since.
    const before = info?.isFile() ? readSnapshotFile(committed) : undefined;
    if (before?.equals(file.contents)) continue;
    differences.push({
      file: file.path,
      change: before === undefined ? "added" : "changed",
      source: file.source,
      diff: await describeDiff(slug, file.path, before, file.contents),
    });
  }
  for (const file of filesUnder(folder)) {
    if (planned.has(file)) continue;
    const before = readSnapshotFile(path.join(folder, ...file.split("/")));
    differences.push({ file, change: "removed", diff: await describeDiff(slug, file, before, undefined) });
  }
  return differences.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

const MARKER_FILE: PlannedFile = { path: SNAPSHOT_MARKER, contents: Buffer.from(SNAPSHOT_MARKER_TEXT), source: "(written by check)" };

/**
 * Rewrites what differs: changed and added files through the one writer, removed ones deleted; the marker
 * file goes in with them when it is missing (a new folder, or one adopted from before the marker).
 */
async function rewrite(folder: string, files: readonly PlannedFile[], differences: readonly FileDiff[], marked: boolean): Promise<void> {
  const changed = new Set(differences.filter((entry) => entry.change !== "removed").map((entry) => entry.file));
  // A new folder is written whole; an existing one gets only its changed files (each atomically).
  const exists = statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const toWrite = [...files.filter((file) => !exists || changed.has(file.path)), ...(marked ? [] : [MARKER_FILE])];
  if (toWrite.length > 0) await writePackage(folder, toWrite, { force: exists });
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

/** The folders of the snapshot folder that belong to no combination. */
function staleFolders(folder: SnapshotFolder, combinations: readonly Combination[]): string[] {
  const known = new Set(combinations.map((combination) => combination.slug));
  return [...(folder?.keys() ?? [])].filter((name) => !known.has(name)).sort();
}

/**
 * Before --update writes anything: every folder it would rewrite or delete must be one check wrote (or can
 * adopt); otherwise nothing is written and the folder is named with what to do.
 */
function assertUpdatable(directory: string, folder: SnapshotFolder, names: readonly string[]): void {
  for (const name of names) {
    const entry = folder?.get(name);
    if (entry === undefined || entry.notAdoptable === undefined) continue;
    throw new UsageError(
      `--update refuses to touch ${path.join(directory, name)}: it has no ${SNAPSHOT_MARKER} marker (the file check writes into each snapshot), and ${entry.notAdoptable}. ` +
        "Nothing was written. If it is an old snapshot, delete it yourself and run again; if --snapshot points at the wrong folder, give the snapshot folder.",
    );
  }
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
  // Links, special files and a file given as the folder are refused here, before anything is read or written.
  const folder = inspectSnapshotFolder(options.directory, options.given ?? options.directory);
  const staleNames = options.complete ? staleFolders(folder, options.combinations) : [];
  if (options.update) assertUpdatable(options.directory, folder, [...options.combinations.map((combination) => combination.slug), ...staleNames]);
  const adopted: string[] = [];
  const results: SnapshotResult[] = [];
  const rendered = new Map<string, RenderedCombination>();
  for (const combination of options.combinations) {
    const combinationFolder = path.join(options.directory, combination.slug);
    let render: RenderedCombination;
    try {
      render = await planCombination(combinationFolder, combination, renderOptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const where = error instanceof TemplateError ? { file: error.file, ...(error.line === undefined ? {} : { line: error.line }) } : {};
      rendered.set(combination.id, unrendered(combination, renderOptions));
      results.push({ id: combination.id, directory: combination.slug, status: "fail", files: 0, differences: [], render: { message, ...where } });
      continue;
    }
    rendered.set(combination.id, render);
    const differences = await compare(combinationFolder, combination.slug, render.files);
    let status: SnapshotResult["status"] = differences.length === 0 ? "pass" : "fail";
    const existing = folder?.get(combination.slug);
    if (options.update && (differences.length > 0 || (existing !== undefined && !existing.marked))) {
      await rewrite(combinationFolder, render.files, differences, existing?.marked ?? false);
      if (existing !== undefined && !existing.marked) adopted.push(combination.slug);
      if (differences.length > 0) status = "updated";
    }
    results.push({ id: combination.id, directory: combination.slug, status, files: render.files.length, differences });
  }

  // Only folders check wrote (assertUpdatable checked each before anything was written) are deleted.
  const deleted = options.update ? staleNames : [];
  for (const name of deleted) rmSync(path.join(options.directory, name), { recursive: true, force: true });
  const stale = options.update ? [] : staleNames;

  const failures: SnapshotReport["failures"] = [];
  for (const result of results) {
    if (result.render) failures.push({ combination: result.id, step: "render", message: result.render.message });
    else if (result.status === "fail") {
      const files = result.differences.map((entry) => `${entry.file} (${entry.change})`).join(", ");
      failures.push({ combination: result.id, step: "snapshot", message: `differs from ${result.directory}/: ${files}` });
    }
  }
  for (const name of stale) {
    const why = folder?.get(name)?.notAdoptable;
    const fix = why === undefined ? "delete it, or run with --update" : `delete it yourself: --update deletes only folders check wrote, and ${why}`;
    failures.push({ combination: name, step: "snapshot", message: `${name}/ belongs to no combination of the matrix; ${fix}` });
  }

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
    deleted,
    adopted,
    failures,
  };
  return { report, rendered };
}
