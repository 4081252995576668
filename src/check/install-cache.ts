/**
 * node_modules for the check workspace, kept between runs: the workspace's dependencies are installed once
 * into the user's cache (packs/cache.ts), under a key made of every manifest's install fields (names,
 * dependency ranges) and the platform; a later check of the same manifests links its workspace's
 * node_modules to that folder instead of running npm install. An entry older than a day is installed
 * afresh, so new releases within the ranges are picked up; `--no-cache` always installs.
 *
 * Entries are written under a temporary name and renamed into place when complete, so a reader never sees
 * half an install, and concurrent checks share what is there; an entry is never replaced in place (a
 * refresh is a new entry), so a running check never loses its node_modules. The steps only read them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "../packs/cache.js";

/** How long an entry is reused; after that the dependencies are resolved again. */
export const CACHE_MAX_AGE_MS = 24 * 60 * 60_000;
/** Entries unused for this long are deleted when a new one is written. */
export const CACHE_PRUNE_AGE_MS = 7 * 24 * 60 * 60_000;
const COMPLETE = ".create-middleware-complete";

/** The package.json fields npm install reads to decide what goes into node_modules. */
const INSTALL_FIELDS = [
  "name",
  "version",
  "workspaces",
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "optionalDependencies",
  "bundleDependencies",
  "overrides",
];

function installFields(manifestText: string): Record<string, unknown> {
  const manifest = JSON.parse(manifestText) as Record<string, unknown>;
  return Object.fromEntries(INSTALL_FIELDS.filter((field) => manifest[field] !== undefined).map((field) => [field, manifest[field]]));
}

/** The workspace's manifests: the root's and each package's (relative folder -> text). */
export function workspaceManifests(root: string, packageFolders: readonly string[]): Map<string, string> {
  const manifests = new Map<string, string>([[".", readFileSync(path.join(root, "package.json"), "utf8")]]);
  for (const folder of packageFolders) manifests.set(folder, readFileSync(path.join(root, folder, "package.json"), "utf8"));
  return manifests;
}

/** The cache key of a set of manifests on this platform. Pure. */
export function installKey(
  manifests: ReadonlyMap<string, string>,
  platform = `${process.platform}-${process.arch}-node${process.versions.node.split(".")[0]}`,
): string {
  const folders = [...manifests.keys()].sort();
  return sha256(JSON.stringify({ platform, manifests: folders.map((folder) => [folder, installFields(manifests.get(folder) as string)]) })).slice(
    0,
    32,
  );
}

/** Where a key's entries live: `<folder>/<key>.<creation time>`, newest reused first. */
export function entriesFolder(cacheRoot: string): string {
  return path.join(cacheRoot, "check", "node_modules");
}

/**
 * The newest complete entry of `key` fresh enough to reuse, or undefined. Stale entries are left alone (a
 * running check may still use one); pruneEntries deletes them a week later.
 */
export function freshEntry(cacheRoot: string, key: string, now = Date.now()): { entry: string; ageMs: number } | undefined {
  let names: string[];
  try {
    names = readdirSync(entriesFolder(cacheRoot));
  } catch {
    return undefined;
  }
  const candidates = names
    .map((name) => /^([0-9a-f]+)\.(\d+)$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === key)
    .sort((a, b) => Number(b[2]) - Number(a[2]));
  for (const match of candidates) {
    const entry = path.join(entriesFolder(cacheRoot), match[0]);
    const marker = statSync(path.join(entry, COMPLETE), { throwIfNoEntry: false });
    if (!marker || !existsSync(path.join(entry, "node_modules"))) continue;
    // Date.now() is whole milliseconds, a file time is not: an entry written this millisecond is age 0.
    const ageMs = Math.max(0, now - marker.mtimeMs);
    if (now - marker.mtimeMs > -60_000 && ageMs < CACHE_MAX_AGE_MS) return { entry, ageMs };
  }
  return undefined;
}

/** A new, empty entry under a temporary name, holding the manifests: npm install runs there. */
export function startEntry(cacheRoot: string, key: string, manifests: ReadonlyMap<string, string>): string {
  const staging = path.join(entriesFolder(cacheRoot), `${key}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  for (const [folder, text] of manifests) {
    mkdirSync(path.join(staging, folder), { recursive: true });
    writeFileSync(path.join(staging, folder, "package.json"), text);
  }
  return staging;
}

/** Marks a staged install complete and renames it into place as the key's newest entry. */
export function finishEntry(staging: string, cacheRoot: string, key: string, now = Date.now()): string {
  writeFileSync(path.join(staging, COMPLETE), `${new Date(now).toISOString()}\n`);
  const entry = path.join(entriesFolder(cacheRoot), `${key}.${now}`);
  renameSync(staging, entry);
  return entry;
}

export function discardEntry(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Points the workspace's node_modules (and any package's own node_modules npm made for a version clash)
 * at the entry's.
 */
export function linkEntry(entry: string, workspaceRoot: string, packageFolders: readonly string[]): void {
  const link = (from: string, to: string) => symlinkSync(to, from, process.platform === "win32" ? "junction" : "dir");
  link(path.join(workspaceRoot, "node_modules"), path.join(entry, "node_modules"));
  for (const folder of packageFolders) {
    const nested = path.join(entry, folder, "node_modules");
    if (existsSync(nested)) link(path.join(workspaceRoot, folder, "node_modules"), nested);
  }
}

/** Deletes entries (and abandoned staging folders) not refreshed for a week. */
export function pruneEntries(cacheRoot: string, now = Date.now()): void {
  const folder = entriesFolder(cacheRoot);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const entry = path.join(folder, name);
    const marker = statSync(path.join(entry, COMPLETE), { throwIfNoEntry: false }) ?? statSync(entry, { throwIfNoEntry: false });
    if (marker && now - marker.mtimeMs > CACHE_PRUNE_AGE_MS) rmSync(entry, { recursive: true, force: true });
  }
}
