/**
 * Loads a CommonJS file of ours with V8's code cache, so a run after the first skips compiling it: the
 * cache is taken when the run ends, so it also holds every function that run compiled on first call
 * (commander, the create path), which Node's own compile cache (Node >= 22.1, taken right after the
 * top-level compile) does not. It works on Node 20 too, which has no compile cache of its own.
 *
 * The cache is a file in a folder of the user's own in the OS temp folder (like Node's compile cache).
 * A cache is code: it is only read from a folder that is ours, not a link, and that nobody else can
 * write to; anything else (another user's folder, a link, a read-only temp folder) means no cache, never
 * an error. V8 refuses a cache made by another V8 version or with other flags; the file name carries the
 * build's hash, the file's size, modification time and place, so a rebuilt or patched file never meets the
 * cache of its old self, and two installed copies keep a cache each.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
// Named imports: the bundle then reads these from the built-in modules, where a default import would copy
// every property of each into an object of its own first (esbuild's interop), at every start.
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { Script } from "node:vm";

/**
 * What happened to the cache in this run (for tests and the bench; the run itself does not care); "loaded"
 * when the module was already loaded in this process (then it is not run again).
 */
export type CodeCacheState = "off" | "missing" | "used" | "rejected" | "loaded";

export interface CachedModule {
  exports: unknown;
  state: CodeCacheState;
}

export interface CodeCacheOptions {
  /**
   * What identifies this build of the file (a hash of it, taken at build time): npm gives every file it
   * unpacks the same modification time, and V8 checks little more than a source's length, so size and
   * time alone could hand one version the cache of another of the same size.
   */
  buildId: string;
  /** Folder for the cache; default: <os temp folder>/create-middleware-<uid>/code-cache. */
  folder?: string;
  /**
   * Whether this run may write the cache when it ends with `exitCode` (say, only a run that went the usual
   * way); default: when it exits 0.
   */
  shouldWrite?: (exitCode: number) => boolean;
}

/** NODE_DISABLE_COMPILE_CACHE is Node's own switch for its compile cache; it turns this one off too. */
export const codeCacheDisabled = (env: NodeJS.ProcessEnv = process.env) =>
  Boolean(env.NODE_DISABLE_COMPILE_CACHE) || Boolean(env.CREATE_MIDDLEWARE_NO_CODE_CACHE);

export function defaultCacheFolder(): string {
  const user = typeof process.getuid === "function" ? `-${process.getuid()}` : "";
  return join(tmpdir(), `create-middleware${user}`, "code-cache");
}

/** Folders already checked in this run (the CLI and each template layer load from the same one). */
const checkedFolders = new Map<string, string | undefined>();

/** A folder only this user can write to, and not a link: created if missing, else undefined. */
function privateFolder(folder: string): string | undefined {
  if (!checkedFolders.has(folder)) checkedFolders.set(folder, checkFolder(folder));
  return checkedFolders.get(folder);
}

function checkFolder(folder: string): string | undefined {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    for (const each of [dirname(folder), folder]) {
      const stats = lstatSync(each);
      if (!stats.isDirectory()) return undefined;
      if (typeof process.getuid === "function" && (stats.uid !== process.getuid() || (stats.mode & 0o022) !== 0)) return undefined;
    }
    return folder;
  } catch {
    return undefined;
  }
}

/** The cache file, if it is a plain file (O_NOFOLLOW where the platform has it). */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    if (!fstatSync(fd).isFile()) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Written beside, then renamed: a run reading meanwhile sees the old cache or the new one, never half. */
function writeCache(folder: string, cache: CacheName, data: Buffer): void {
  const file = join(folder, cache.name);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
    // Caches of the same file's older builds (for this Node) are of no use any more.
    for (const other of readdirSync(folder)) {
      if (other !== cache.name && other.startsWith(cache.sameNodePrefix) && other.endsWith(".v8")) rmSync(join(folder, other), { force: true });
    }
  } catch {
    // A full or read-only temp folder: no cache this time.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was created.
    }
  }
}

interface CacheName {
  /**
   * cli.v20.20.2-x64.<where>.<build id>-171710-1795321913901.v8: one per installed copy and Node version;
   * a new build of that copy replaces its predecessor.
   */
  name: string;
  /** cli.v20.20.2-x64.<where>. : the caches of the same installed file for this Node. */
  sameNodePrefix: string;
}

/** A short hash of a path (FNV-1a): copies installed in different places keep caches of their own. */
function pathHash(file: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < file.length; index++) hash = Math.imul(hash ^ file.charCodeAt(index), 0x01000193);
  return (hash >>> 0).toString(36);
}

function cacheNameOf(file: string, buildId: string): CacheName {
  const { size, mtimeMs } = statSync(file);
  const sameNodePrefix = `${basename(file, extname(file))}.${process.version}-${process.arch}.${pathHash(file)}.`;
  return { name: `${sameNodePrefix}${buildId}-${size}-${Math.trunc(mtimeMs)}.v8`, sameNodePrefix };
}

/**
 * require(file), compiled with the cache when there is a usable one; registered in require.cache like
 * any module, so a later require() of the same file (a command's file taking shared modules from it)
 * gets this very instance.
 */
export function requireWithCodeCache(file: string, options: CodeCacheOptions): CachedModule {
  const requireFromFile = createRequire(file);
  const already = requireFromFile.cache[file];
  if (already) return { exports: already.exports, state: "loaded" };
  const folder = codeCacheDisabled() ? undefined : privateFolder(options.folder ?? defaultCacheFolder());
  const cache = cacheNameOf(file, options.buildId);
  const cached = folder ? readCache(join(folder, cache.name)) : undefined;

  const script = new Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const state: CodeCacheState = !folder ? "off" : !cached ? "missing" : script.cachedDataRejected ? "rejected" : "used";
  if (folder && state !== "used") {
    process.once("exit", (exitCode) => {
      if (options.shouldWrite?.(exitCode) ?? exitCode === 0) writeCache(folder, cache, script.createCachedData());
    });
  }

  const loaded = new Module(file);
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dirname(file));
  requireFromFile.cache[file] = loaded;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  try {
    wrapper.call(loaded.exports, loaded.exports, requireFromFile, loaded, file, dirname(file));
  } catch (error) {
    delete requireFromFile.cache[file];
    throw error;
  }
  loaded.loaded = true;
  return { exports: loaded.exports, state };
}
