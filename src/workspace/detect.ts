/**
 * Is a folder inside a monorepo, and which? Walks up from a folder to the first that declares workspaces:
 * package.json `workspaces` (npm, yarn, bun: an array or `{ "packages": [...] }`) or pnpm-workspace.yaml
 * (`packages:`). Reads what the package's placement, install and shared config depend on: the globs, the
 * package manager (`packageManager`, then pnpm-workspace.yaml, then a lockfile), the shared configs, and
 * Turborepo, Nx and changesets. Reads only; a workspace file that does not parse is a usage error naming it.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { PackageManager } from "../answers/answers.js";
import { UsageError } from "../errors.js";
import { readUserFile, UserFileError } from "../system/read-user-file.js";

export interface Workspace {
  /** The root folder, absolute. */
  root: string;
  /** The file that declares the workspace: "package.json" or "pnpm-workspace.yaml". */
  declaredIn: "package.json" | "pnpm-workspace.yaml";
  /** The member globs, in order ("packages/*"); negations ("!packages/private") included. */
  globs: string[];
  manager: PackageManager;
  /** package.json's `packageManager` ("pnpm@10.4.1"), when the root pins one. */
  pinnedManager: string | undefined;
  /** The root package.json, parsed ({} when there is none). */
  rootManifest: Record<string, unknown>;
  /** Shared config at the root the package extends, as paths relative to the root. */
  shared: { tsconfig?: string; biome?: string; eslint?: string };
  /** Task runners and release tools the root uses. */
  tools: { turbo: boolean; nx: boolean; changesets: boolean };
}

const BIOME_FILES = ["biome.json", "biome.jsonc"];
const ESLINT_FILES = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", "eslint.config.mts"];
const LOCKFILE_MANAGERS: [string, PackageManager][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["yarn.lock", "yarn"],
  [".yarnrc.yml", "yarn"],
];

/**
 * A workspace file's text, or undefined when it cannot be read. A cloned repository is untrusted: a link to
 * /dev/zero or a FIFO must not exhaust memory or hang the run, so it is refused by name (readUserFile).
 */
function readWorkspaceFile(file: string): string | undefined {
  try {
    return readUserFile(file, { what: "The workspace file" })?.toString("utf8");
  } catch (error) {
    if (error instanceof UserFileError && error.reason === "unreadable") return undefined;
    if (error instanceof UserFileError) throw new UsageError(`${error.message} Or pass --no-workspace.`);
    throw error;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  const text = readWorkspaceFile(file);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Only a file that may declare workspaces is one we cannot pass by: any broken package.json above the
    // folder (a member's, one in the home folder) must not stop a package from being made.
    if (!text.includes('"workspaces"')) return undefined;
    throw new UsageError(
      `${file} is not valid JSON (${(error as Error).message}), so its workspaces cannot be read. Fix it, or pass --no-workspace.`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    if (!text.includes('"workspaces"')) return undefined;
    throw new UsageError(`${file} does not hold a JSON object, so its workspaces cannot be read. Fix it, or pass --no-workspace.`);
  }
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string" || entry.trim() === "")) {
    throw new UsageError(`${where} must be a list of folder globs ("packages/*"). Fix it, or pass --no-workspace.`);
  }
  return value.map((entry: string) => entry.trim().replace(/^\.\//, "").replace(/\/+$/, ""));
}

/** package.json `workspaces`: undefined when it declares none. */
function manifestGlobs(manifest: Record<string, unknown>, file: string): string[] | undefined {
  const declared = manifest.workspaces;
  if (declared === undefined) return undefined;
  if (Array.isArray(declared)) return stringList(declared, `"workspaces" in ${file}`);
  if (declared !== null && typeof declared === "object" && "packages" in declared) {
    return stringList((declared as { packages: unknown }).packages, `"workspaces.packages" in ${file}`);
  }
  throw new UsageError(`"workspaces" in ${file} must be a list of folder globs or { "packages": [...] }. Fix it, or pass --no-workspace.`);
}

async function pnpmGlobs(file: string): Promise<string[]> {
  const { parseDocument } = await import("yaml");
  const document = parseDocument(readWorkspaceFile(file) ?? "");
  if (document.errors.length > 0) {
    throw new UsageError(
      `${file} is not valid YAML (${document.errors[0]!.message.split("\n")[0]}), so its workspace packages cannot be read. Fix it, or pass --no-workspace.`,
    );
  }
  const value: unknown = document.toJS();
  const packages = value !== null && typeof value === "object" ? (value as { packages?: unknown }).packages : undefined;
  // pnpm itself accepts a file without `packages` (the root alone); then no folder is a member.
  return packages === undefined ? [] : stringList(packages, `"packages" in ${file}`);
}

function managerOf(root: string, pinned: string | undefined, declaredIn: Workspace["declaredIn"]): PackageManager {
  const named = pinned?.split("@")[0];
  if (named === "npm" || named === "pnpm" || named === "yarn" || named === "bun") return named;
  if (declaredIn === "pnpm-workspace.yaml") return "pnpm";
  for (const [file, manager] of LOCKFILE_MANAGERS) if (existsSync(path.join(root, file))) return manager;
  return "npm";
}

const firstPresent = (root: string, names: readonly string[]) => names.find((name) => existsSync(path.join(root, name)));

/** The workspace `folder` is in (the folder itself may be the root), or undefined when there is none. */
export async function findWorkspace(folder: string): Promise<Workspace | undefined> {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    // A folder anyone may write to (/tmp) is no repository's root: a package.json another user planted
    // there would have its install scripts run by the root install, as this user.
    const found = writableByOthers(current) ? undefined : await readWorkspaceAt(current);
    if (found) return found;
    if (path.dirname(current) === current) return undefined;
  }
}

function writableByOthers(folder: string): boolean {
  const mode = statSync(folder, { throwIfNoEntry: false })?.mode ?? 0;
  return process.platform !== "win32" && (mode & 0o002) !== 0;
}

/** The workspace whose root is exactly `root`, or undefined when it declares none. */
export async function readWorkspaceAt(root: string): Promise<Workspace | undefined> {
  const manifestFile = path.join(root, "package.json");
  const pnpmFile = path.join(root, "pnpm-workspace.yaml");
  const hasPnpm = existsSync(pnpmFile);
  // Only a folder that declares workspaces has its package.json read as the root's: a member's own one is passed by.
  const manifest = existsSync(manifestFile) ? readJson(manifestFile) : undefined;
  const fromManifest = manifest ? manifestGlobs(manifest, manifestFile) : undefined;
  if (!hasPnpm && fromManifest === undefined) return undefined;
  const declaredIn = hasPnpm ? "pnpm-workspace.yaml" : "package.json";
  const globs = hasPnpm ? await pnpmGlobs(pnpmFile) : fromManifest!;
  const pinned = typeof manifest?.packageManager === "string" ? manifest.packageManager : undefined;
  const shared: Workspace["shared"] = {};
  const tsconfig = firstPresent(root, ["tsconfig.base.json", "tsconfig.json"]);
  if (tsconfig) shared.tsconfig = tsconfig;
  const biome = firstPresent(root, BIOME_FILES);
  if (biome) shared.biome = biome;
  const eslint = firstPresent(root, ESLINT_FILES);
  if (eslint) shared.eslint = eslint;
  return {
    root,
    declaredIn,
    globs,
    manager: managerOf(root, pinned, declaredIn),
    pinnedManager: pinned,
    rootManifest: manifest ?? {},
    shared,
    tools: {
      turbo: existsSync(path.join(root, "turbo.json")),
      nx: existsSync(path.join(root, "nx.json")),
      changesets: existsSync(path.join(root, ".changeset", "config.json")),
    },
  };
}
