/**
 * The answers a scaffold needs, and the defaults of the questions that are not a table of their own (the
 * targets, schemas and starters are: targets.ts, schemas.ts, starters.ts). Every other module takes these types.
 */
import { UsageError } from "../errors.js";
import type { OptionField } from "./option-fields.js";
import type { Schema } from "../tables/schemas.js";
import type { Target } from "../tables/targets.js";

export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const DEFAULT_DIRECTORY = "my-middleware";
export const DEFAULTS = { install: true, git: true } as const;

/** Everything needed to produce a package; what the flags, config, prompts and defaults resolve to. */
export interface Answers {
  /** Absolute path of the directory to create or fill. */
  directory: string;
  /** npm package name, possibly scoped. */
  packageName: string;
  target: Target;
  schema: Schema;
  /** What the middleware does: a starter the target has, built in (starters.ts) or a team pack's own. */
  starter: string;
  description: string;
  /** The source repository's web URL (--repo, else the git remote); undefined when there is none. */
  repository?: string | undefined;
  /** Option fields from --option; undefined means the starter's own fields. */
  fields: OptionField[] | undefined;
  packageManager: PackageManager;
  install: boolean;
  git: boolean;
  /**
   * Render .github/workflows/template-update.yml (optional-files.ts), which opens a pull request when the
   * templates move on (docs/update.md). Absent: false. Default: on when a team pack is used.
   */
  updateWorkflow?: boolean;
}

export function parsePackageManager(value: string): PackageManager {
  const manager = PACKAGE_MANAGERS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!manager) {
    throw new UsageError(`Unknown package manager "${value}". Valid package managers: ${PACKAGE_MANAGERS.join(", ")}.`);
  }
  return manager;
}
