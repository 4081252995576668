/**
 * The pack cache: fetched packs, unpacked and checked, kept by what they resolved to (an npm name and
 * version, a git commit, a tarball's sha256), so a second scaffold with the same pack fetches nothing and
 * `--offline` can work from it. Beside them, `refs/` remembers what each source last resolved to
 * (`npm:@acme/pack@^2` -> 2.3.1, `github:acme/pack#main` -> a commit): that is how `--offline` knows which
 * cached copy a range or a branch means.
 *
 * Where: $XDG_CACHE_HOME/create-middleware (default ~/.cache) on Linux, ~/Library/Caches/create-middleware
 * on macOS, %LOCALAPPDATA%\create-middleware\Cache on Windows; CREATE_MIDDLEWARE_CACHE overrides all.
 *
 * Trusted only as far as it is ours (docs/packs.md): every folder from the root down to a pack is checked
 * to be a real folder (not a link) owned by the current user and writable by no one else, else the run
 * stops; folders are made 0700 and files 0600. Each unpacked pack has its files' sha256 beside it
 * (`<pack>.sha256`), written when it was fetched and compared when it is used: a damaged copy is fetched
 * again, never blamed on the pack. The refs index records sources without their credentials.
 */
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, statSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import { redactSource } from "./source-spec.js";

export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.CREATE_MIDDLEWARE_CACHE) return path.resolve(env.CREATE_MIDDLEWARE_CACHE);
  if (platform === "win32") return path.join(env.LOCALAPPDATA || path.join(home, "AppData", "Local"), "create-middleware", "Cache");
  if (platform === "darwin") return path.join(home, "Library", "Caches", "create-middleware");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "create-middleware");
}

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * sha256 over every file's path and content, in path order: the same for a folder and its tarball. An
 * executable file (`executable`) is marked too, so a pack version that only makes a script executable is
 * another version; a pack without one hashes as it always did.
 */
export function hashFiles(files: ReadonlyMap<string, Buffer>, executable?: ReadonlySet<string>): string {
  const lines = [...files.keys()].sort().map((file) => `${file}\0${sha256(files.get(file)!)}${executable?.has(file) ? "\0x" : ""}\n`);
  return sha256(lines.join(""));
}

/** A cached pack's folder: `<root>/packs/<kind>/<key>` with the key made safe as a folder name. */
export function cachedPackPath(root: string, kind: "npm" | "git" | "tarball", key: string): string {
  const safe = key.replace(/^@/, "").replace(/[^\w.@+-]+/g, "+");
  return path.join(root, "packs", kind, safe);
}

export interface CachedRef {
  /** What the source resolved to: an npm version, a git commit. */
  resolved: string;
  /** The cached pack folder. */
  path: string;
}

/** The fix for a cache we cannot use, for messages. */
const ELSEWHERE = "or point CREATE_MIDDLEWARE_CACHE at a folder of your own";

/** mkdir -p with 0700 for what it makes; a failure (read-only, not a folder) is a clear FailedError (exit 1). */
export function makeCacheFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // A recursive mkdir may return quietly when a file is in the way: see what is there.
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FailedError(`The pack cache cannot be written: ${folder} (${code}). Make it writable ${ELSEWHERE}.`);
  }
}

/**
 * Refuses (exit 2) a cache folder someone else could have written: a symbolic link, not a folder, owned by
 * another user, or writable by the group or others. Each of `root`, then every folder down to `folder`.
 * POSIX only: Windows has neither uid nor mode bits (its per-user %LOCALAPPDATA% is already private).
 */
export function assertPrivateCache(root: string, folder = root): void {
  if (process.platform === "win32" || typeof process.getuid !== "function") return;
  const uid = process.getuid();
  const relative = path.relative(root, folder);
  const chain = [root, ...(relative === "" ? [] : relative.split(path.sep).map((_, index, parts) => path.join(root, ...parts.slice(0, index + 1))))];
  for (const current of chain) {
    const info = lstatSync(current, { throwIfNoEntry: false });
    if (info === undefined) return;
    const problem = info.isSymbolicLink()
      ? "is a symbolic link"
      : !info.isDirectory()
        ? "is not a folder"
        : info.uid !== uid
          ? `belongs to another user (uid ${info.uid})`
          : (info.mode & 0o022) !== 0
            ? `can be written by ${(info.mode & 0o002) !== 0 ? "anyone" : "its group"} (mode ${(info.mode & 0o777).toString(8)})`
            : undefined;
    if (problem !== undefined) {
      throw new UsageError(
        `The pack cache is not safe to use: ${current} ${problem}, so someone else could have put a pack there. ` +
          `Fix it (\`chmod 700\` a folder of yours, or delete it) ${ELSEWHERE}.`,
      );
    }
  }
}

/** Writes `text` to `file` (0600) through a temporary sibling, so a reader never sees half of it. */
function writePrivateFile(file: string, text: string): void {
  makeCacheFolder(path.dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FailedError(`The pack cache cannot be written: ${file} (${code}). Make it writable ${ELSEWHERE}.`);
  }
}

/** The sha256 recorded for a cached pack folder when it was fetched (cache.ts header), or undefined. */
export function readRecordedHash(packFolder: string): string | undefined {
  try {
    const text = readFileSync(`${packFolder}.sha256`, "utf8").trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export function writeRecordedHash(packFolder: string, hash: string): void {
  writePrivateFile(`${packFolder}.sha256`, `${hash}\n`);
}

/** Removes a damaged cached pack and its hash, so the next fetch unpacks it afresh. */
export function discardCachedPack(packFolder: string): void {
  rmSync(packFolder, { recursive: true, force: true });
  rmSync(`${packFolder}.sha256`, { force: true });
}

const refFile = (root: string, source: string) => path.join(root, "refs", `${sha256(source).slice(0, 32)}.json`);

export function readRef(root: string, source: string): CachedRef | undefined {
  assertPrivateCache(root, path.join(root, "refs"));
  try {
    const ref = JSON.parse(readFileSync(refFile(root, source), "utf8")) as CachedRef & { source?: string };
    if (ref.source !== redactSource(source) || typeof ref.resolved !== "string" || typeof ref.path !== "string") return undefined;
    // Only ever a folder of this cache's packs/, whatever the file says.
    const packs = path.join(root, "packs") + path.sep;
    if (!path.resolve(ref.path).startsWith(packs)) return undefined;
    return existsSync(ref.path) ? { resolved: ref.resolved, path: path.resolve(ref.path) } : undefined;
  } catch {
    return undefined;
  }
}

/** Records what `source` resolved to. The file is named by a hash of the full source; it holds it without credentials. */
export function writeRef(root: string, source: string, ref: CachedRef): void {
  writePrivateFile(refFile(root, source), `${JSON.stringify({ source: redactSource(source), ...ref }, null, 2)}\n`);
}

/**
 * Puts a folder into the cache at `destination` by renaming it there. Another run that got there first
 * wins: both hold the same content, since the key is what it resolved to.
 */
export function moveIntoCache(folder: string, destination: string): void {
  makeCacheFolder(path.dirname(destination));
  try {
    renameSync(folder, destination);
  } catch (error) {
    if (!existsSync(destination)) throw error;
    rmSync(folder, { recursive: true, force: true });
  }
}
