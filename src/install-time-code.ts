/**
 * A rendered package may not run code when it is installed. The CLI installs a new package right away, and
 * a team pack is untrusted input, so a template must not give the package what a package manager would run
 * or load during that install: a lifecycle script of its own, or a package-manager configuration file
 * (`.npmrc` can name the program npm runs for git, `.pnpmfile.cjs` and `bunfig.toml` load code, `.yarnrc.yml`
 * can point at a Yarn release to execute). A team that wants such a file adds it to the package afterwards.
 */
import { UsageError } from "./errors.js";
import type { PlannedFile } from "./plan.js";

/** Scripts of the package itself that npm, pnpm, yarn or bun run during `install`. */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare", "dependencies"];

/** Files at the package root that a package manager reads as configuration. Compared case-insensitively. */
// binding.gyp: npm gives a package holding one (and no install script) `node-gyp rebuild` as its install
// script, and gyp runs the commands in `<!(...)` while reading it.
const MANAGER_FILES = [".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs", ".pnpmfile.mjs", "pnpm-workspace.yaml", "bunfig.toml", "binding.gyp"];
const MANAGER_FOLDERS = [".yarn/"];

const AFTERWARDS = "Templates may not run code on the machine that scaffolds; add it to the package after it is created.";

export function assertRunsNothingOnInstall(files: readonly PlannedFile[]): void {
  for (const file of files) {
    const lower = file.path.toLowerCase();
    if (MANAGER_FILES.includes(lower) || MANAGER_FOLDERS.some((folder) => lower.startsWith(folder))) {
      throw new UsageError(`Template ${file.source} writes ${file.path}, which the package manager reads when it installs the package. ${AFTERWARDS}`);
    }
    if (file.path !== "package.json") continue;
    let scripts: unknown;
    try {
      scripts = (JSON.parse(file.contents.toString("utf8")) as { scripts?: unknown } | null)?.scripts;
    } catch (error) {
      throw new UsageError(`Template ${file.source} does not give valid JSON for package.json: ${(error as Error).message}`);
    }
    if (typeof scripts !== "object" || scripts === null) continue;
    const script = INSTALL_SCRIPTS.find((name) => Object.hasOwn(scripts, name));
    if (script !== undefined) {
      throw new UsageError(`Template ${file.source} gives package.json a "${script}" script, which runs when the package is installed. ${AFTERWARDS}`);
    }
  }
}
