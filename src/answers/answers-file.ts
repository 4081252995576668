/**
 * `.create-middleware.json`, the answers file every generated package gets (docs/packs.md): the CLI
 * version, the pack it came from and what that resolved to, and every answer, so that
 * `create-middleware --answers <file>` reproduces the package byte for byte and `update` knows where a
 * package came from. No secrets, no timestamps; not the directory, install, git or package manager (those
 * are about where and how, not what). Keys in a fixed order, 2-space JSON laid out as the package's own
 * Biome formats it (json-layout.ts: short lists on one line), trailing newline.
 */
import path from "node:path";
import { UsageError } from "../errors.js";
import { biomeJson } from "./json-layout.js";
import { readUserFile } from "../system/read-user-file.js";
import type { OptionField } from "./option-fields.js";
import { checkVars, SPDX_EXPRESSION } from "./team-config.js";
import { controlCharacterProblem } from "./text-rules.js";

export const ANSWERS_FILE = ".create-middleware.json";
const ANSWERS_FILE_VERSION = 1;

export interface RecordedAnswers {
  packageName: string;
  target: string;
  schema: string;
  /** null until a starter applies. */
  starter: string | null;
  description: string;
  /** null: the starter's default fields; else `name:type[=default]` specs. */
  options: string[] | null;
  vars: Record<string, unknown>;
  author: string;
  year: number;
  license: string;
  /** The repository's web URL (package.json's repository, homepage, bugs); null or absent: none. Written only when set. */
  repository?: string | null;
  /** The package has the template-update workflow; written only when true (absent reads as false). */
  updateWorkflow?: boolean;
}

export interface AnswersFile {
  version: 1;
  createMiddleware: string;
  template: { source: string; resolved: string } | null;
  answers: RecordedAnswers;
  /** Kept as it is: the update command's own bookkeeping. */
  update?: Record<string, unknown>;
}

/** The replayable spec of a field: `level:info|debug=info`, `tags:string[]=a,b`. */
export function formatOptionSpec(field: OptionField): string {
  const type = field.kind === "union" ? field.values.join("|") : field.kind;
  if (field.default === undefined) return `${field.name}:${type}`;
  const value = Array.isArray(field.default) ? field.default.join(",") : String(field.default);
  return `${field.name}:${type}=${value}`;
}

/** The file's text: keys in the documented order whatever order the object had. */
export function formatAnswersFile(file: AnswersFile): string {
  const a = file.answers;
  const ordered = {
    version: file.version,
    createMiddleware: file.createMiddleware,
    template: file.template === null ? null : { source: file.template.source, resolved: file.template.resolved },
    answers: {
      packageName: a.packageName,
      target: a.target,
      schema: a.schema,
      starter: a.starter,
      description: a.description,
      options: a.options,
      vars: a.vars,
      author: a.author,
      year: a.year,
      license: a.license,
      // Only when there is one: files without it read back as null.
      ...(a.repository ? { repository: a.repository } : {}),
      ...(a.updateWorkflow ? { updateWorkflow: true } : {}),
    },
    ...(file.update === undefined ? {} : { update: file.update }),
  };
  return biomeJson(ordered);
}

function problem(file: string, detail: string): never {
  throw new UsageError(`The answers file ${file} ${detail} Pass a .create-middleware.json written by create-middleware.`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Far deeper than the file's own shape; what JSON.stringify can format again without running out of stack. */
const MAX_DEPTH = 32;

/** Whether a parsed JSON value nests arrays or objects more than `max` deep (iteratively: the input may be deep). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Checks a parsed answers file; `file` names it in messages. */
export function validateAnswersFile(raw: unknown, file: string): AnswersFile {
  if (!isObject(raw)) problem(file, "is not a JSON object.");
  if (raw.version !== ANSWERS_FILE_VERSION)
    problem(file, `has version ${JSON.stringify(raw.version)}; this create-middleware reads version ${ANSWERS_FILE_VERSION}.`);
  if (typeof raw.createMiddleware !== "string") problem(file, 'has no "createMiddleware" version.');
  let template: AnswersFile["template"] = null;
  if (raw.template !== null && raw.template !== undefined) {
    const t = raw.template;
    if (!isObject(t) || typeof t.source !== "string" || typeof t.resolved !== "string")
      problem(file, 'has a "template" that is not { "source", "resolved" }.');
    template = { source: t.source, resolved: t.resolved };
  }
  const a = raw.answers;
  if (!isObject(a)) problem(file, 'has no "answers" object.');
  const text = (key: string, optional = false): string => {
    const value = a[key];
    if (typeof value !== "string") {
      if (optional && (value === undefined || value === null)) return "";
      problem(file, `has answers.${key} ${JSON.stringify(value)}, not a string.`);
    }
    return value;
  };
  const options = a.options ?? null;
  if (options !== null && (!Array.isArray(options) || options.some((spec) => typeof spec !== "string"))) {
    problem(file, "has answers.options that is neither null nor a list of option specs.");
  }
  const vars = a.vars ?? {};
  if (!isObject(vars)) problem(file, "has answers.vars that is not an object.");
  try {
    checkVars(vars, "answers.vars");
  } catch (error) {
    throw new UsageError(`The answers file ${file}: ${(error as Error).message}`);
  }
  const year = a.year;
  if (year !== undefined && (typeof year !== "number" || !Number.isInteger(year) || year < 1970 || year > 9999)) {
    problem(file, "has answers.year that is not a year (a whole number from 1970 to 9999).");
  }
  if (!/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/.test(raw.createMiddleware))
    problem(file, `has "createMiddleware" ${JSON.stringify(raw.createMiddleware)}, not a version.`);
  const starter = a.starter;
  if (starter !== undefined && starter !== null && typeof starter !== "string") problem(file, "has answers.starter that is not a string.");
  const repository = a.repository ?? null;
  if (repository !== null && typeof repository !== "string") problem(file, "has answers.repository that is neither null nor a URL.");
  const updateWorkflow = a.updateWorkflow ?? false;
  if (typeof updateWorkflow !== "boolean") problem(file, "has answers.updateWorkflow that is not true or false.");
  if (raw.update !== undefined && !isObject(raw.update)) problem(file, 'has an "update" entry that is not an object.');
  if (nestedDeeperThan(raw, MAX_DEPTH)) problem(file, `nests values more than ${MAX_DEPTH} deep.`);
  // The author and license reach package.json, LICENSE and README.md: the rules a flag or config follows.
  // Every other text is shown in messages (and preselected by update -i): no escape sequence reaches a terminal.
  const texts: [string, unknown][] = [
    ...["packageName", "description", "author", "license", "target", "schema", "starter", "repository"].map((key): [string, unknown] => [
      `answers.${key}`,
      a[key],
    ]),
    ...(Array.isArray(options) ? options.map((spec, index): [string, unknown] => [`answers.options[${index}]`, spec]) : []),
    ["template.source", template?.source],
    ["template.resolved", template?.resolved],
  ];
  for (const [where, value] of texts) {
    const control = typeof value === "string" ? controlCharacterProblem(value, where) : undefined;
    if (control !== undefined) throw new UsageError(`The answers file ${file}: ${control}`);
  }
  if (typeof a.license === "string" && a.license !== "" && !SPDX_EXPRESSION.test(a.license)) {
    problem(file, `has answers.license ${JSON.stringify(a.license)}, not an SPDX license id like MIT or Apache-2.0 (or UNLICENSED).`);
  }
  return {
    version: ANSWERS_FILE_VERSION,
    createMiddleware: raw.createMiddleware,
    template,
    answers: {
      packageName: text("packageName"),
      target: text("target"),
      schema: text("schema"),
      starter: (starter as string | null | undefined) ?? null,
      description: text("description", true),
      options: options as string[] | null,
      vars,
      author: text("author", true),
      year: (year as number | undefined) ?? new Date().getFullYear(),
      license: text("license", true) || "MIT",
      ...(typeof repository === "string" ? { repository } : {}),
      ...(updateWorkflow ? { updateWorkflow: true } : {}),
    },
    ...(raw.update === undefined ? {} : { update: raw.update as Record<string, unknown> }),
  };
}

/** Reads and checks `--answers <file>` (relative to `cwd`). Usage error (exit 2) when missing or malformed. */
export function readAnswersFile(given: string, cwd: string): { file: string; answers: AnswersFile } {
  const file = path.resolve(cwd, given);
  // A pipe, a device (/dev/zero) or an oversized file is refused by name, never read (read-user-file.ts).
  const bytes = readUserFile(file, { what: "The answers file" });
  if (bytes === undefined) throw new UsageError(`Cannot read the answers file ${file} (it does not exist).`);
  const text = bytes.toString("utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problem(file, `is not valid JSON (${(error as Error).message}).`);
  }
  return { file, answers: validateAnswersFile(raw, file) };
}
