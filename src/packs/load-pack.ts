/**
 * `--template <source>` -> a pack ready to render from: its files in memory (read through pack-tree.ts,
 * which refuses symbolic links and anything outside the pack), its manifest (validated), and what the
 * source resolved to (an npm version, a git commit, or the sha256 of a folder's or tarball's files) for
 * the answers file. Fetching code (npm, git) is loaded only when a remote source is used.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { readPackTree, type PackTree } from "../pack-tree.js";
import { cacheRoot, sha256 } from "./cache.js";
import { parseManifest, type PackManifest } from "./manifest.js";
import { parsePackSource, type PackSource } from "./source-spec.js";
import { readArchive, UnsafeArchiveError } from "./tarball.js";
import { TARGETS } from "../targets.js";
import type { Fetched } from "./fetch-common.js";

export const MANIFEST_FILE = "pack.json";
/** The folders a pack may have at its root (the layers); at least one must be there. */
export const PACK_FOLDERS = ["base", ...TARGETS, "schemas", "starters"];

export interface LoadedPack {
  source: PackSource;
  /** The folder the source was resolved from (cwd, a config file's folder, an answers file's folder). */
  base: string;
  tree: PackTree;
  /** Undefined when the pack has no pack.json. */
  manifest: PackManifest | undefined;
  /** npm version, git commit, or sha256 of the files. */
  resolved: string;
  fromCache: boolean;
}

export interface LoadPackOptions {
  /** Relative sources are resolved from here. */
  base: string;
  offline?: boolean;
  /** Defaults to the user's cache directory (cache.ts). */
  cacheRoot?: string;
  cliVersion: string;
  targets: readonly string[];
  schemas: readonly string[];
  /**
   * What the source resolved to before (an --answers file's `template.resolved`): an npm version or a git
   * commit is fetched exactly; a folder or tarball whose files changed since is loaded with a notice.
   */
  pin?: string | undefined;
  notice?: (message: string) => void;
}

/** sha256 over every file's path and content, in path order: the same for a folder and its tarball. */
export function hashFiles(files: ReadonlyMap<string, Buffer>): string {
  const lines = [...files.keys()].sort().map((file) => `${file}\0${sha256(files.get(file)!)}\n`);
  return sha256(lines.join(""));
}

function refused(given: string, error: unknown): never {
  throw new UsageError(`Template pack "${given}" is refused: ${(error as Error).message}. Nothing was written.`);
}

function treeOfTarball(source: Extract<PackSource, { kind: "tarball" }>): PackTree {
  let entries;
  try {
    entries = readArchive(readFileSync(source.path));
  } catch (error) {
    if (error instanceof UnsafeArchiveError) refused(source.given, error);
    throw new UsageError(`Template pack "${source.given}" cannot be read: ${(error as Error).message}.`);
  }
  const files = new Map<string, Buffer>();
  for (const entry of entries) if (entry.type === "file") files.set(entry.path, entry.contents);
  return { root: source.path, files };
}

async function fetchRemote(source: Extract<PackSource, { kind: "npm" | "git" }>, options: LoadPackOptions): Promise<Fetched> {
  const fetchOptions = { cwd: options.base, cacheRoot: options.cacheRoot ?? cacheRoot(), offline: options.offline ?? false };
  const { pin } = options;
  try {
    if (source.kind === "npm") {
      const { fetchNpmPack } = await import("./fetch-npm.js");
      const spec = pin !== undefined && source.name !== undefined ? `${source.name}@${pin}` : source.spec;
      return await fetchNpmPack(source.given, spec, fetchOptions);
    }
    const { fetchGitPack } = await import("./fetch-git.js");
    const ref = pin !== undefined && /^[0-9a-f]{40}$/.test(pin) ? pin : source.ref;
    return await fetchGitPack(source.given, source.url, ref, fetchOptions);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) refused(source.given, error);
    throw error;
  }
}

export async function loadPack(given: string, options: LoadPackOptions): Promise<LoadedPack> {
  const source = parsePackSource(given, options.base);
  const label = `Template pack "${given}"`;
  let tree: PackTree;
  let resolved: string | undefined;
  let fromCache = false;
  if (source.kind === "folder") tree = readPackTree(source.path, label);
  else if (source.kind === "tarball") tree = treeOfTarball(source);
  else {
    const fetched = await fetchRemote(source, options);
    tree = readPackTree(fetched.root, label);
    resolved = fetched.resolved;
    fromCache = fetched.fromCache;
  }
  const tops = new Set([...tree.files.keys()].map((file) => file.split("/")[0]!));
  if (!PACK_FOLDERS.some((folder) => tops.has(folder))) {
    throw new UsageError(
      `${label} has none of the folders ${PACK_FOLDERS.join(", ")}. ` +
        "A pack mirrors the built-in templates layout; `create-middleware template init <dir>` shows it.",
    );
  }
  const manifestText = tree.files.get(MANIFEST_FILE);
  const manifest =
    manifestText === undefined
      ? undefined
      : parseManifest(manifestText.toString("utf8"), {
          file: `${label} ${MANIFEST_FILE}`,
          cliVersion: options.cliVersion,
          targets: options.targets,
          schemas: options.schemas,
        });
  const actual = resolved ?? hashFiles(tree.files);
  if (options.pin !== undefined && options.pin !== actual) {
    options.notice?.(`${label} has changed since the answers file was written (it resolved to ${options.pin}, now ${actual}); the package may differ.`);
  }
  return { source, base: options.base, tree, manifest, resolved: actual, fromCache };
}

/**
 * The source as the answers file records it: a local path relative to `directory` (the package), so
 * `--answers <package>/.create-middleware.json` finds it again; anything else as given.
 */
export function recordedSource(pack: Pick<LoadedPack, "source" | "base">, directory: string): string {
  const relative = (absolute: string) => {
    const text = path.relative(directory, absolute).split(path.sep).join("/") || ".";
    return text.startsWith(".") ? text : `./${text}`;
  };
  const { source } = pack;
  if (source.kind === "folder" || source.kind === "tarball") return relative(source.path);
  if (source.kind === "git" && path.isAbsolute(source.url)) return `${relative(source.url)}${source.ref ? `#${source.ref}` : ""}`;
  if (source.kind === "npm" && source.spec.startsWith("file:")) return `npm:file:${relative(path.resolve(pack.base, source.spec.slice(5)))}`;
  return source.given;
}

/** Refuses a target or schema the pack's manifest does not list. */
export function assertPackSupports(pack: LoadedPack, target: string, schema: string): void {
  const manifest = pack.manifest;
  if (manifest?.targets && !manifest.targets.includes(target)) {
    throw new UsageError(`Template pack "${pack.source.given}" supports the targets ${manifest.targets.join(", ")}, not ${target}. Choose one with --target.`);
  }
  if (manifest?.schemas && !manifest.schemas.includes(schema)) {
    throw new UsageError(`Template pack "${pack.source.given}" supports the schemas ${manifest.schemas.join(", ")}, not ${schema}. Choose one with --schema.`);
  }
}
