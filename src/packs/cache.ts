/**
 * The pack cache: fetched packs, unpacked and checked, kept by what they resolved to (an npm name and
 * version, a git commit, a tarball's sha256), so a second scaffold with the same pack fetches nothing and
 * `--offline` can work from it. Beside them, `refs/` remembers what each source last resolved to
 * (`npm:@acme/pack@^2` -> 2.3.1, `github:acme/pack#main` -> a commit): that is how `--offline` knows which
 * cached copy a range or a branch means.
 *
 * Where: $XDG_CACHE_HOME/create-middleware (default ~/.cache) on Linux, ~/Library/Caches/create-middleware
 * on macOS, %LOCALAPPDATA%\create-middleware\Cache on Windows; CREATE_MIDDLEWARE_CACHE overrides all.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.CREATE_MIDDLEWARE_CACHE) return path.resolve(env.CREATE_MIDDLEWARE_CACHE);
  if (platform === "win32") return path.join(env.LOCALAPPDATA || path.join(home, "AppData", "Local"), "create-middleware", "Cache");
  if (platform === "darwin") return path.join(home, "Library", "Caches", "create-middleware");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "create-middleware");
}

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

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

const refFile = (root: string, source: string) => path.join(root, "refs", `${sha256(source).slice(0, 32)}.json`);

export function readRef(root: string, source: string): CachedRef | undefined {
  try {
    const ref = JSON.parse(readFileSync(refFile(root, source), "utf8")) as CachedRef & { source?: string };
    if (ref.source !== source || typeof ref.resolved !== "string" || typeof ref.path !== "string") return undefined;
    return existsSync(ref.path) ? { resolved: ref.resolved, path: ref.path } : undefined;
  } catch {
    return undefined;
  }
}

export function writeRef(root: string, source: string, ref: CachedRef): void {
  const file = refFile(root, source);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ source, ...ref }, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Puts a folder into the cache at `destination` by renaming it there. Another run that got there first
 * wins: both hold the same content, since the key is what it resolved to.
 */
export function moveIntoCache(folder: string, destination: string): void {
  mkdirSync(path.dirname(destination), { recursive: true });
  try {
    renameSync(folder, destination);
  } catch (error) {
    if (!existsSync(destination)) throw error;
    rmSync(folder, { recursive: true, force: true });
  }
}
