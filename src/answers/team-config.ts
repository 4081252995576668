/**
 * Team defaults (docs/packs.md): `create-middleware.config.json`, or a `"create-middleware"` key in
 * package.json, found in the current directory or the nearest one above it; below that in precedence, the
 * user's own config file ($XDG_CONFIG_HOME/create-middleware/config.json, default ~/.config; %APPDATA% on
 * Windows). The nearest project file wins field by field over the user's file (`vars` key by key).
 *
 * Fields: scope, author, license, template, pm, target, schema, starter, vars, updateWorkflow. A flag or an --answers file
 * beats any of them. A relative `template` is relative to the file that names it. Unknown fields and wrong
 * types are usage errors naming the file: a typo in a team's config must not silently do nothing.
 */
import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";
import { readUserFile } from "../system/read-user-file.js";
import { didYouMean } from "./suggest.js";
import { controlCharacterProblem } from "./text-rules.js";

export interface TeamConfig {
  /** npm scope for unscoped names: "@acme" (a leading @ is added when missing). */
  scope?: string;
  author?: string;
  license?: string;
  /** A pack source; a relative path is resolved from `templateBase`. */
  template?: string;
  /** The folder `template` is relative to: the directory of the file that set it. */
  templateBase?: string;
  pm?: string;
  target?: string;
  schema?: string;
  starter?: string;
  vars?: Record<string, unknown>;
  /** The template-update workflow on (true) or off (false) by default, whether or not a team pack is in use. */
  updateWorkflow?: boolean;
  /** The files read, nearest first (for messages and --json). */
  files: string[];
}

const CONFIG_FILE = "create-middleware.config.json";
const PACKAGE_KEY = "create-middleware";
const STRING_FIELDS = ["scope", "author", "license", "template", "pm", "target", "schema", "starter"] as const;
const BOOLEAN_FIELDS = ["updateWorkflow"] as const;

export function userConfigFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === "win32") return path.join(env.APPDATA || path.join(home, "AppData", "Roaming"), "create-middleware", "config.json");
  return path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "create-middleware", "config.json");
}

function readJson(file: string): unknown {
  // Not a regular file, too large or unreadable: a usage error naming it (read-user-file.ts).
  const bytes = readUserFile(file, { what: "The config file" });
  if (bytes === undefined) return undefined;
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A package.json on the way up that is not ours to judge: unreadable or broken, it simply holds no config
 * (a scaffold must not fail over some ancestor project's file).
 */
function readPackageJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readUserFile(file, { what: "The file" })?.toString("utf8") ?? "null");
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An SPDX expression ("MIT", "Apache-2.0 OR MIT") or UNLICENSED: it lands in package.json and LICENSE. */
export const SPDX_EXPRESSION = /^[A-Za-z0-9.+-]+(?: (?:OR|AND|WITH) [A-Za-z0-9.+-]+)*$/;

/**
 * Answers to a pack's questions from a file (config or answers file), untrusted: each key an identifier that
 * is no property of every object (`__proto__` would replace the record's prototype, not add an answer),
 * each value what a question can answer: text, a number, true/false, a list of texts, or null.
 */
export function checkVars(vars: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(vars)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || key in Object.prototype) {
      throw new UsageError(`${where} has the key ${JSON.stringify(key)}, which is not a question's key (an identifier such as region).`);
    }
    const scalar = (item: unknown) => typeof item === "string" || typeof item === "boolean" || (typeof item === "number" && Number.isFinite(item));
    if (!(value === null || scalar(value) || (Array.isArray(value) && value.every((item) => typeof item === "string")))) {
      throw new UsageError(`${where}.${key} must be text, a number, true or false, or a list of texts.`);
    }
    const texts = typeof value === "string" ? [value] : Array.isArray(value) ? (value as string[]) : [];
    for (const text of texts) {
      const control = controlCharacterProblem(text, `${where}.${key}`);
      if (control !== undefined) throw new UsageError(control);
    }
  }
}

/** Checks one config object; `where` names it ("/repo/package.json \"create-middleware\""). */
function validateConfig(raw: unknown, where: string, base: string): Omit<TeamConfig, "files"> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new UsageError(`${where} must be a JSON object.`);
  const config: Omit<TeamConfig, "files"> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "$schema") continue;
    if (key === "vars") {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new UsageError(`${where}: "vars" must be an object of answers to the pack's questions.`);
      checkVars(value as Record<string, unknown>, `${where}: vars`);
      config.vars = { ...(value as Record<string, unknown>) };
      continue;
    }
    if ((BOOLEAN_FIELDS as readonly string[]).includes(key)) {
      if (typeof value !== "boolean") throw new UsageError(`${where}: "${key}" must be true or false.`);
      config[key as (typeof BOOLEAN_FIELDS)[number]] = value;
      continue;
    }
    if (!(STRING_FIELDS as readonly string[]).includes(key)) {
      const known = [...STRING_FIELDS, "vars", ...BOOLEAN_FIELDS];
      throw new UsageError(`${where}: unknown field "${key}".${didYouMean(key, known)} Known fields: ${known.join(", ")}.`);
    }
    if (typeof value !== "string" || value.trim() === "") throw new UsageError(`${where}: "${key}" must be a non-empty string.`);
    const control = controlCharacterProblem(value, `${where}: "${key}"`);
    if (control !== undefined) throw new UsageError(control);
    (config as Record<string, string>)[key] = value.trim();
  }
  if (config.scope !== undefined) {
    const scope = config.scope.startsWith("@") ? config.scope : `@${config.scope}`;
    if (!/^@[a-z0-9][a-z0-9._~-]*$/.test(scope))
      throw new UsageError(`${where}: "scope" ${JSON.stringify(config.scope)} is not an npm scope like @acme.`);
    config.scope = scope;
  }
  // It lands in package.json and LICENSE: an SPDX expression ("MIT", "Apache-2.0 OR MIT") or UNLICENSED.
  if (config.license !== undefined && !SPDX_EXPRESSION.test(config.license)) {
    throw new UsageError(`${where}: "license" ${JSON.stringify(config.license)} is not an SPDX license id like MIT or Apache-2.0 (or UNLICENSED).`);
  }
  if (config.template !== undefined) config.templateBase = base;
  return config;
}

/** The nearest project config from `cwd` upward: [file, config] or undefined. */
function projectConfig(cwd: string): { file: string; config: Omit<TeamConfig, "files"> } | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, CONFIG_FILE);
    const own = readJson(file);
    if (own !== undefined) return { file, config: validateConfig(own, file, dir) };
    const packageJson = readPackageJson(path.join(dir, "package.json"));
    if (packageJson && typeof packageJson === "object" && PACKAGE_KEY in packageJson) {
      const where = `${path.join(dir, "package.json")} "${PACKAGE_KEY}"`;
      return { file: path.join(dir, "package.json"), config: validateConfig(packageJson[PACKAGE_KEY], where, dir) };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Finds and merges the team config for a run in `cwd`. Always returns an object (empty when none). */
export function loadTeamConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): TeamConfig {
  const userFile = userConfigFile(env);
  const userRaw = readJson(userFile);
  const user = userRaw === undefined ? undefined : validateConfig(userRaw, userFile, path.dirname(userFile));
  const project = projectConfig(cwd);
  const files = [...(project ? [project.file] : []), ...(user && project?.file !== userFile ? [userFile] : [])];
  const merged: TeamConfig = { ...user, ...project?.config, files };
  if (user?.vars || project?.config.vars) merged.vars = { ...user?.vars, ...project?.config.vars };
  return merged;
}
