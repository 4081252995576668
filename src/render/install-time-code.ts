/**
 * A rendered package may not run code when it is installed. The CLI installs a new package right away, and
 * a team pack is untrusted input, so a template must not give the package what a package manager would run
 * or load during that install: a lifecycle script of its own, or a package-manager configuration file
 * (`.npmrc` can name the program npm runs for git, `.pnpmfile.cjs` and `bunfig.toml` load code, `.yarnrc.yml`
 * can point at a Yarn release to execute), nor a package.json anywhere in it that brings code from outside
 * the registry into the install (workspaces, file:/link:/git/URL dependencies, a packageManager URL).
 * Refused rather than installed with scripts off: registry packages the package needs may have install
 * scripts of their own (native builds), and a pack's code must not run at all (docs/packs.md).
 * A team that wants such a file or field adds it to the package afterwards.
 */
import { UsageError } from "../errors.js";

/** A rendered file, as plan.ts makes it: what this check reads of one. */
interface RenderedFile {
  path: string;
  contents: Buffer;
  source: string;
}

/** Scripts of the package itself that npm, pnpm, yarn or bun run during `install`. */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare", "dependencies"];

/** Files at the package root that a package manager reads as configuration. Compared case-insensitively. */
// binding.gyp: npm gives a package holding one (and no install script) `node-gyp rebuild` as its install
// script, and gyp runs the commands in `<!(...)` while reading it.
const MANAGER_FILES = [".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs", ".pnpmfile.mjs", "pnpm-workspace.yaml", "bunfig.toml", "binding.gyp"];
const MANAGER_FOLDERS = [".yarn/"];

const AFTERWARDS = "Templates may not run code on the machine that scaffolds; add it to the package after it is created.";

/** The fields whose values are dependency specs npm, pnpm, yarn or bun resolve during install. */
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "overrides", "resolutions"];

// A registry spec: a version, range or dist-tag ("^1.2.0", "1.x || 2", "latest"), or an npm: alias to a
// registry name with one. Everything else (file:, link:, workspace:, portal:, git URLs, user/repo
// shorthands, http(s) tarballs, a path ending in .tgz) makes the manager fetch or run code from outside
// the registry: a folder's or repository's own install scripts, a workspace's package.json.
const REGISTRY_RANGE = /^[\w.^~<>=| *+-]*$/;
const NPM_ALIAS = /^npm:(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(?:@([^@]*))?$/i;
const PACKAGE_MANAGER = /^(?:npm|pnpm|yarn|bun)@\d+\.\d+\.\d+(?:-[\w.]+)?(?:\+[\w.]+)?$/;

function isRegistrySpec(spec: string): boolean {
  // npm's "$name" in overrides: the spec of a direct dependency, itself checked.
  if (/^\$[\w@./-]+$/.test(spec)) return true;
  const alias = NPM_ALIAS.exec(spec);
  const range = alias ? (alias[1] ?? "") : spec;
  return REGISTRY_RANGE.test(range) && !/\.(?:tgz|tar|tar\.gz)$/i.test(range);
}

/** The first dependency spec (in a field, or nested under an override) that is not from the registry. */
function nonRegistrySpec(value: unknown, where: string, depth = 0): { where: string; spec: string } | undefined {
  if (typeof value === "string") return isRegistrySpec(value.trim()) ? undefined : { where, spec: value };
  if (typeof value !== "object" || value === null) return undefined;
  if (depth > 8) return { where, spec: "(overrides nested more than 8 deep)" };
  for (const [name, inner] of Object.entries(value)) {
    const found = nonRegistrySpec(inner, `${where}["${name}"]`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function checkPackageJson(file: RenderedFile): void {
  let manifest: Record<string, unknown>;
  try {
    const parsed = JSON.parse(file.contents.toString("utf8")) as unknown;
    manifest = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    throw new UsageError(`Template ${file.source} does not give valid JSON for ${file.path}: ${(error as Error).message}`);
  }
  const scripts = manifest.scripts;
  if (typeof scripts === "object" && scripts !== null) {
    const script = INSTALL_SCRIPTS.find((name) => Object.hasOwn(scripts, name));
    if (script !== undefined) {
      throw new UsageError(
        `Template ${file.source} gives ${file.path} a "${script}" script, which runs when the package is installed. ${AFTERWARDS}`,
      );
    }
  }
  if (manifest.workspaces !== undefined) {
    throw new UsageError(
      `Template ${file.source} gives ${file.path} "workspaces": the package manager would install those folders too, running their scripts. ${AFTERWARDS}`,
    );
  }
  for (const field of DEPENDENCY_FIELDS) {
    const found = nonRegistrySpec(manifest[field], field);
    if (found) {
      throw new UsageError(
        `Template ${file.source} gives ${file.path} the dependency ${found.where}: ${JSON.stringify(found.spec)}, which is not from the npm registry ` +
          `(a file:, link:, git, URL or tarball spec can run that package's scripts during the install). Use a version range; ${AFTERWARDS.charAt(0).toLowerCase()}${AFTERWARDS.slice(1)}`,
      );
    }
  }
  if (manifest.packageManager !== undefined && (typeof manifest.packageManager !== "string" || !PACKAGE_MANAGER.test(manifest.packageManager))) {
    throw new UsageError(
      `Template ${file.source} gives ${file.path} "packageManager": ${JSON.stringify(manifest.packageManager)}; only a name and version (npm@10.9.0) is allowed, never a URL a tool would download and run.`,
    );
  }
}

/**
 * Refuses a planned package that would run code when installed: a package-manager file, or a package.json
 * (the root one or any other: a workspace's, a vendored folder's) with an install script, workspaces, a
 * dependency from outside the registry, or a packageManager URL. Every template goes through it, the
 * built-in ones too (they have none of these), so the rule does not depend on where a template came from.
 */
export function assertRunsNothingOnInstall(files: readonly RenderedFile[]): void {
  for (const file of files) {
    const lower = file.path.toLowerCase();
    if (MANAGER_FILES.includes(lower) || MANAGER_FOLDERS.some((folder) => lower.startsWith(folder))) {
      throw new UsageError(
        `Template ${file.source} writes ${file.path}, which the package manager reads when it installs the package. ${AFTERWARDS}`,
      );
    }
    if (lower === "package.json" || lower.endsWith("/package.json")) checkPackageJson(file);
  }
}
