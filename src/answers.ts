/**
 * The questions the scaffolder answers, their valid values and their defaults.
 * Every other module takes these types; only this one knows the choices.
 */
import { UsageError } from "./errors.js";
import type { OptionField } from "./option-fields.js";

export const TARGETS = ["express", "socket.io"] as const;
export type Target = (typeof TARGETS)[number];

export const SCHEMAS = ["none", "zod", "valibot", "typebox", "joi"] as const;
export type Schema = (typeof SCHEMAS)[number];

export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

const TARGET_ALIASES: Record<string, Target> = {
  express: "express",
  "socket.io": "socket.io",
  socketio: "socket.io",
  sio: "socket.io",
};

export const TARGET_TITLES: Record<Target, string> = { express: "Express", "socket.io": "Socket.IO" };

export const SCHEMA_TITLES: Record<Schema, string> = {
  none: "none (hand-written checks)",
  zod: "Zod",
  valibot: "Valibot",
  typebox: "TypeBox",
  joi: "Joi",
};

export const DEFAULT_DIRECTORY = "my-middleware";
export const DEFAULTS = { target: "express", schema: "none", install: true, git: true } as const;

/** Everything needed to produce a package; what the flags, config, prompts and defaults resolve to. */
export interface Answers {
  /** Absolute path of the directory to create or fill. */
  directory: string;
  /** npm package name, possibly scoped. */
  packageName: string;
  target: Target;
  schema: Schema;
  description: string;
  /** Option fields from --option; undefined means the target's starter set. */
  fields: OptionField[] | undefined;
  packageManager: PackageManager;
  install: boolean;
  git: boolean;
}

function listOf(values: readonly string[]): string {
  return values.join(", ");
}

export function parseTarget(value: string): Target {
  const target = TARGET_ALIASES[value.trim().toLowerCase()];
  if (!target) {
    throw new UsageError(`Unknown target "${value}". Valid targets: ${listOf(TARGETS)} (aliases: socketio, sio).`);
  }
  return target;
}

export function parseSchema(value: string): Schema {
  const schema = SCHEMAS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!schema) {
    throw new UsageError(`Unknown schema "${value}". Valid schemas: ${listOf(SCHEMAS)}.`);
  }
  return schema;
}

export function parsePackageManager(value: string): PackageManager {
  const manager = PACKAGE_MANAGERS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!manager) {
    throw new UsageError(`Unknown package manager "${value}". Valid package managers: ${listOf(PACKAGE_MANAGERS)}.`);
  }
  return manager;
}
