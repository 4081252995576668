import { FailedError, UsageError } from "../errors.js";
import { PACK_SIZE_LIMIT, readPackTree, type PackTree } from "./pack-tree.js";
import { readUserFile } from "../system/read-user-file.js";
import { assertPrivateCache, cacheRoot, makeCacheFolder, discardCachedPack, hashFiles, readRecordedHash } from "./cache.js";
import { parseManifest } from "./manifest.js";
import { parsePackSource, redactSource, type PackSource } from "./source-spec.js";
import { readArchive, UnsafeArchiveError } from "./tarball.js";
import { TARGETS } from "../tables/targets.js";
import type { Fetched } from "./fetch-common.js";
import type { LoadedPack } from "./pack.js";

export type { LoadedPack } from "./pack.js";

const MANIFEST_FILE = "pack.json";
const NPM_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** The folders a pack may have at its root (the layers); at least one must be there. */
const PACK_FOLDERS = ["base", ...TARGETS, "schemas", "starters"];

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

/**
 * What rendering reads of a pack: its layer folders and pack.json (the questions). Notes, snapshots/, a CI
 * workflow or the pack's own package.json render nothing, so editing them must not make every package
 * made from the pack look outdated, nor give a replay another hash.
 */
function renderedPackFiles(files: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const read = new Map<string, Buffer>();
  for (const [file, contents] of files) if (file === MANIFEST_FILE || PACK_FOLDERS.includes(file.split("/")[0]!)) read.set(file, contents);
  return read;
}

export { hashFiles };

function refused(given: string, error: unknown): never {
  throw new UsageError(`Template pack "${given}" is refused: ${(error as Error).message}. Nothing was written.`);
}

function treeOfTarball(source: Extract<PackSource, { kind: "tarball" }>): PackTree {
  // A pipe, a device or an oversized file at the tarball's path is refused by name, never read.
  const archive = readUserFile(source.path, { what: `Template pack "${source.given}": the file`, limit: PACK_SIZE_LIMIT });
  if (archive === undefined) throw new UsageError(`Template pack "${source.given}" cannot be read: ${source.path} does not exist.`);
  let entries;
  try {
    entries = readArchive(archive);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) refused(source.given, error);
    throw new UsageError(`Template pack "${source.given}" cannot be read: ${(error as Error).message}.`);
  }
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  for (const entry of entries) if (entry.type === "file") files.set(entry.path, entry.contents);
  for (const entry of entries) if (entry.type === "file" && entry.executable) executable.add(entry.path);
  return { root: source.path, files, executable };
}

async function fetchRemote(source: Extract<PackSource, { kind: "npm" | "git" }>, options: LoadPackOptions): Promise<Fetched> {
  const fetchOptions = { cwd: options.base, cacheRoot: options.cacheRoot ?? cacheRoot(), offline: options.offline ?? false };
  makeCacheFolder(fetchOptions.cacheRoot);
  assertPrivateCache(fetchOptions.cacheRoot);
  const { pin } = options;
  try {
    if (source.kind === "npm") {
      // The pin comes from an answers file (untrusted): only a version, never another spec such as
      // `file:/elsewhere` or a git URL that would fetch a different pack than the source it names.
      if (pin !== undefined && source.name !== undefined && !NPM_VERSION.test(pin)) {
        throw new UsageError(
          `Template pack "${source.given}": the answers file records it as resolved to ${JSON.stringify(pin)}, which is not an npm version like 1.2.3. Nothing was fetched.`,
        );
      }
      const { fetchNpmPack } = await import("./fetch-npm.js");
      const spec = pin !== undefined && source.name !== undefined ? `${source.name}@${pin}` : source.spec;
      return await fetchNpmPack(source.given, spec, fetchOptions);
    }
    const { fetchGitPack } = await import("./fetch-git.js");
    const ref = pin !== undefined && /^[0-9a-f]{40}$/.test(pin) ? pin : source.ref;
    return await fetchGitPack(source.given, source.url, ref, { ...fetchOptions, ...(source.subfolder ? { subfolder: source.subfolder } : {}) });
  } catch (error) {
    if (error instanceof UnsafeArchiveError) refused(source.given, error);
    throw error;
  }
}

/**
 * A cached pack, read only if the cache is ours (cache.ts) and its files still have the sha256 recorded
 * when it was fetched; undefined when it is damaged or unreadable.
 */
function readCachedPack(folder: string, root: string, label: string): PackTree | undefined {
  assertPrivateCache(root, folder);
  const recorded = readRecordedHash(folder);
  if (recorded === undefined) return undefined;
  try {
    const tree = readPackTree(folder, label);
    return hashFiles(tree.files, tree.executable) === recorded ? tree : undefined;
  } catch {
    return undefined;
  }
}

export async function loadPack(given: string, options: LoadPackOptions): Promise<LoadedPack> {
  const source = parsePackSource(given, options.base);
  const shown = redactSource(given);
  const label = `Template pack "${shown}"`;
  let tree: PackTree;
  let resolved: string | undefined;
  let fromCache = false;
  if (source.kind === "folder") tree = readPackTree(source.path, label);
  else if (source.kind === "tarball") tree = treeOfTarball(source);
  else {
    let fetched = await fetchRemote({ ...source, given: shown }, options);
    let cached = readCachedPack(fetched.root, options.cacheRoot ?? cacheRoot(), label);
    if (cached === undefined) {
      // Damaged since it was fetched (a file changed or went missing, or an older cache without a
      // recorded hash): the pack is not to blame. Fetch it again, once; offline that is impossible.
      if (options.offline) {
        throw new FailedError(
          `--offline: the cached copy of the template pack "${shown}" (${fetched.root}) is damaged: its files changed since they were fetched. Run once without --offline to fetch it again.`,
        );
      }
      discardCachedPack(fetched.root);
      fetched = await fetchRemote({ ...source, given: shown }, options);
      cached = readCachedPack(fetched.root, options.cacheRoot ?? cacheRoot(), label);
      if (cached === undefined) {
        throw new FailedError(
          `The pack cache keeps a damaged copy of the template pack "${shown}" at ${fetched.root}; delete that folder and try again.`,
        );
      }
    }
    tree = cached;
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
  // An npm:file: pack is a folder of the user's: edited without a version bump, it must not read as the
  // same version, so its content hash (of what rendering reads) goes with the version (as for a folder pack).
  const localNpm = source.kind === "npm" && source.name === undefined;
  const rendered = () => hashFiles(renderedPackFiles(tree.files), tree.executable);
  const actual = resolved === undefined ? rendered() : localNpm ? `${resolved}+${rendered()}` : resolved;
  if (options.pin !== undefined && options.pin !== actual) {
    options.notice?.(
      `${label} has changed since the answers file was written (it resolved to ${options.pin}, now ${actual}); the package may differ.`,
    );
  }
  return { source, base: options.base, tree, manifest, resolved: actual, fromCache };
}
