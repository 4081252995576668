/**
 * pack.json, a pack's manifest (docs/packs.md): what the pack is, which targets and schemas it supports,
 * the create-middleware version it needs, and its own questions. Validated completely before anything
 * renders; every problem is a UsageError naming the field by its path (`questions[1].default`) and what was
 * expected. A pack without pack.json is valid: no questions, every target and schema.
 *
 * Conditions (`when`) are data, never code: { "var": "k", "equals": v } | { "var": "k", "in": [v, …] } |
 * { "var": "k", "includes": v } (a multiselect answer contains v) | { "not": c } | { "all": [c, …] } |
 * { "any": [c, …] }. `var` names an earlier question, or target, schema or starter.
 */
import type { Condition } from "./condition.js";
import { PackNeedsNewerCliError, UsageError } from "../errors.js";
import { controlCharacterProblem } from "../answers/text-rules.js";
import { matchesPattern, slowPatternProblem } from "./pattern.js";

type QuestionType = "text" | "number" | "confirm" | "select" | "multiselect";
const QUESTION_TYPES: readonly QuestionType[] = ["text", "number", "confirm", "select", "multiselect"];
export type VarValue = string | number | boolean | string[];

interface Choice {
  value: string;
  title: string;
}

export interface PackQuestion {
  key: string;
  type: QuestionType;
  message: string;
  default?: VarValue;
  /** An answer for `check` to render with when no --var gives one and there is no default (a check never asks). */
  example?: VarValue;
  choices?: Choice[];
  validate?: { pattern: string; message: string };
  when?: Condition;
  /** Asked and rendered, never recorded (secret.ts): asked again on update. Text questions only. */
  secret?: boolean;
}

export interface PackManifest {
  name?: string;
  version?: string;
  description?: string;
  /** Absent: every target. */
  targets?: string[];
  /** Absent: every schema. */
  schemas?: string[];
  /** The minimum create-middleware version (`engines["create-middleware"]`, ">=x.y.z"). */
  minimumVersion?: string;
  questions: PackQuestion[];
  /** Globs of package paths never rendered (glob.ts). */
  exclude?: string[];
  /** Globs of package paths created once and never updated (a file the user owns from then on). */
  skipIfExists?: string[];
  /** GitHub repositories ("owner/name") whose template-update workflow the pack's check workflow runs on a release. */
  dependents?: string[];
}

/** Answers and facts a condition can look at. */
const CONDITION_FACTS = ["target", "schema", "starter"] as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

class ManifestProblem extends UsageError {}

function fail(file: string, where: string, problem: string): never {
  throw new ManifestProblem(`${file}: ${where} ${problem}`);
}

const describeJson = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : JSON.stringify(value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(file: string, where: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(file, where, `has an unknown field "${key}" (known: ${allowed.join(", ")}).`);
  }
}

function string(file: string, where: string, value: unknown, { empty = false } = {}): string {
  if (typeof value !== "string") fail(file, where, `must be a string, got ${describeJson(value)}.`);
  if (!empty && value.trim() === "") fail(file, where, "must not be empty.");
  // Messages and choice titles reach the terminal: an escape sequence there could rewrite the screen.
  const control = controlCharacterProblem(value, "It");
  if (control !== undefined) fail(file, where, `is not plain text: ${control}`);
  return value;
}

function stringList(file: string, where: string, value: unknown, valid?: readonly string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) fail(file, where, `must be a non-empty array of strings, got ${describeJson(value)}.`);
  if (value.length > MAX_CHOICES) fail(file, where, `lists ${value.length} items; at most ${MAX_CHOICES}.`);
  const seen = new Set<string>();
  return value.map((item, index) => {
    const text = string(file, `${where}[${index}]`, item);
    if (valid && !valid.includes(text)) fail(file, `${where}[${index}]`, `"${text}" is not one of ${valid.join(", ")}.`);
    if (seen.has(text)) fail(file, `${where}[${index}]`, `"${text}" is listed twice.`);
    seen.add(text);
    return text;
  });
}

function compareVersions(a: string, b: string): number {
  const pa = VERSION.exec(a.replace(/[-+].*$/, ""))
    ?.slice(1)
    .map(Number) ?? [0, 0, 0];
  const pb = VERSION.exec(b.replace(/[-+].*$/, ""))
    ?.slice(1)
    .map(Number) ?? [0, 0, 0];
  for (let index = 0; index < 3; index++) if (pa[index] !== pb[index]) return pa[index]! - pb[index]!;
  return 0;
}

/** More than any form a person would fill in; bounds the time validation and prompting can take. */
const MAX_QUESTIONS = 200;
/** Per select or multiselect question (and per targets/schemas list). */
const MAX_CHOICES = 500;

/** Deeper than any real condition, shallow enough that checking and evaluating one cannot overflow the stack. */
const MAX_CONDITION_DEPTH = 32;

function condition(file: string, where: string, value: unknown, known: ReadonlySet<string>, depth = 0): Condition {
  if (depth > MAX_CONDITION_DEPTH) fail(file, where, `nests conditions more than ${MAX_CONDITION_DEPTH} deep.`);
  if (!isObject(value)) fail(file, where, `must be a condition object, got ${describeJson(value)}.`);
  const forms = 'one of {"var", "equals"}, {"var", "in"}, {"var", "includes"}, {"not"}, {"all"}, {"any"}';
  if ("var" in value) {
    const name = string(file, `${where}.var`, value.var);
    if (!known.has(name)) {
      fail(file, `${where}.var`, `"${name}" is neither an earlier question nor one of ${CONDITION_FACTS.join(", ")}.`);
    }
    const tests = ["equals", "in", "includes"].filter((test) => test in value);
    if (tests.length !== 1 || Object.keys(value).length !== 2) fail(file, where, `must be ${forms}.`);
    if (tests[0] === "in" && !Array.isArray(value.in)) fail(file, `${where}.in`, `must be an array, got ${describeJson(value.in)}.`);
    return value as Condition;
  }
  const [operator, ...others] = Object.keys(value);
  if (others.length > 0 || operator === undefined) fail(file, where, `must be ${forms}.`);
  if (operator === "not") return { not: condition(file, `${where}.not`, value.not, known, depth + 1) };
  if (operator === "all" || operator === "any") {
    const list = value[operator];
    if (!Array.isArray(list) || list.length === 0) fail(file, `${where}.${operator}`, "must be a non-empty array of conditions.");
    const conditions = list.map((item, index) => condition(file, `${where}.${operator}[${index}]`, item, known, depth + 1));
    return operator === "all" ? { all: conditions } : { any: conditions };
  }
  fail(file, where, `has an unknown operator "${operator}"; use ${forms}.`);
}

function choices(file: string, where: string, value: unknown): Choice[] {
  if (!Array.isArray(value) || value.length === 0) fail(file, where, `must be a non-empty array, got ${describeJson(value)}.`);
  if (value.length > MAX_CHOICES) fail(file, where, `lists ${value.length} choices; at most ${MAX_CHOICES}.`);
  const list = value.map((item, index): Choice => {
    if (typeof item === "string") return { value: item, title: item };
    if (!isObject(item)) fail(file, `${where}[${index}]`, `must be a string or { "value", "title" }, got ${describeJson(item)}.`);
    onlyKeys(file, `${where}[${index}]`, item, ["value", "title"]);
    const choice = string(file, `${where}[${index}].value`, item.value);
    return { value: choice, title: item.title === undefined ? choice : string(file, `${where}[${index}].title`, item.title) };
  });
  // A Set, not a search per choice: a pack.json with many choices must not take quadratic time.
  const seen = new Set<string>();
  list.forEach((choice, index) => {
    if (seen.has(choice.value)) fail(file, `${where}[${index}]`, `"${choice.value}" is listed twice.`);
    seen.add(choice.value);
  });
  return list;
}

function defaultValue(file: string, where: string, question: PackQuestion, value: unknown): VarValue {
  const values = question.choices?.map((choice) => choice.value) ?? [];
  const valueSet = new Set(values);
  switch (question.type) {
    case "text":
      return string(file, where, value, { empty: true });
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) fail(file, where, `must be a finite number, got ${describeJson(value)}.`);
      return value;
    case "confirm":
      if (typeof value !== "boolean") fail(file, where, `must be true or false, got ${describeJson(value)}.`);
      return value;
    case "select":
      if (typeof value !== "string" || !values.includes(value))
        fail(file, where, `${describeJson(value)} is not one of the choices (${values.join(", ")}).`);
      return value;
    case "multiselect":
      if (!Array.isArray(value)) fail(file, where, `must be an array of choices, got ${describeJson(value)}.`);
      if (value.length > values.length) fail(file, where, `lists more items than there are choices (${values.length}).`);
      for (const item of value) {
        if (typeof item !== "string" || !valueSet.has(item))
          fail(file, where, `${describeJson(item)} is not one of the choices (${values.join(", ")}).`);
      }
      return value as string[];
  }
}

function question(file: string, where: string, value: unknown, earlier: ReadonlySet<string>): PackQuestion {
  if (!isObject(value)) fail(file, where, `must be an object, got ${describeJson(value)}.`);
  onlyKeys(file, where, value, ["key", "type", "message", "default", "example", "choices", "validate", "when", "secret"]);
  const key = string(file, `${where}.key`, value.key);
  if (!IDENTIFIER.test(key)) fail(file, `${where}.key`, `"${key}" is not an identifier (letters, digits and _, not starting with a digit).`);
  if (key in Object.prototype) fail(file, `${where}.key`, `"${key}" is a property of every object; choose another key.`);
  if (earlier.has(key))
    fail(file, `${where}.key`, `"${key}" is ${(CONDITION_FACTS as readonly string[]).includes(key) ? "reserved" : "used by an earlier question"}.`);
  const type = string(file, `${where}.type`, value.type) as QuestionType;
  if (!QUESTION_TYPES.includes(type)) fail(file, `${where}.type`, `"${type}" is not one of ${QUESTION_TYPES.join(", ")}.`);
  const result: PackQuestion = { key, type, message: string(file, `${where}.message`, value.message) };
  if (type === "select" || type === "multiselect") result.choices = choices(file, `${where}.choices`, value.choices);
  else if (value.choices !== undefined) fail(file, `${where}.choices`, `is only for select and multiselect questions, not ${type}.`);
  if (value.validate !== undefined) {
    if (type !== "text") fail(file, `${where}.validate`, `is only for text questions, not ${type}.`);
    if (!isObject(value.validate)) fail(file, `${where}.validate`, `must be { "pattern", "message" }, got ${describeJson(value.validate)}.`);
    onlyKeys(file, `${where}.validate`, value.validate, ["pattern", "message"]);
    const pattern = string(file, `${where}.validate.pattern`, value.validate.pattern);
    try {
      new RegExp(pattern, "u");
    } catch (error) {
      fail(file, `${where}.validate.pattern`, `is not a valid regular expression: ${(error as Error).message}.`);
    }
    result.validate = { pattern, message: string(file, `${where}.validate.message`, value.validate.message) };
  }
  // A default and an example are answers like any other: of the question's type, matching its pattern.
  for (const field of ["default", "example"] as const) {
    if (value[field] === undefined) continue;
    const answer = defaultValue(file, `${where}.${field}`, result, value[field]);
    const matched = result.validate ? matchesPattern(result.validate.pattern, answer as string) : true;
    const slow = slowPatternProblem(matched);
    if (slow !== undefined) fail(file, `${where}.validate.pattern`, `${slow}.`);
    if (!matched) fail(file, `${where}.${field}`, `${describeJson(answer)} does not match its own validate.pattern.`);
    result[field] = answer;
  }
  if (value.when !== undefined) result.when = condition(file, `${where}.when`, value.when, earlier);
  if (value.secret !== undefined) {
    if (typeof value.secret !== "boolean") fail(file, `${where}.secret`, `must be true or false, got ${describeJson(value.secret)}.`);
    if (value.secret && type !== "text") fail(file, `${where}.secret`, `is only for text questions, not ${type}.`);
    if (value.secret) result.secret = true;
  }
  return result;
}

/** `exclude` / `skipIfExists`: at most 100 globs of at most 200 characters, relative, inside the package. */
function globList(file: string, where: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(file, where, `must be an array of globs ("src/index.ts", "docs/**"), got ${describeJson(value)}.`);
  if (value.length > 100) fail(file, where, `has ${value.length} globs; at most 100.`);
  return value.map((item, index) => {
    const glob = string(file, `${where}[${index}]`, item);
    if (glob.length > 200) fail(file, `${where}[${index}]`, "is longer than 200 characters.");
    if (glob.startsWith("/") || glob.split("/").includes("..") || glob.includes("\\"))
      fail(file, `${where}[${index}]`, `"${glob}" must be a path inside the package, with forward slashes.`);
    return glob;
  });
}

/** A GitHub repository as `gh --repo` takes it: an owner (letters, digits, hyphens) / a name. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** `dependents`: at most 500 distinct GitHub repositories, "owner/name" (the check workflow passes each to gh). */
function repositoryList(file: string, value: unknown): string[] {
  if (!Array.isArray(value))
    fail(file, "dependents", `must be an array of GitHub repositories ("acme/payments-logger"), got ${describeJson(value)}.`);
  if (value.length > 500) fail(file, "dependents", `has ${value.length} repositories; at most 500.`);
  const seen = new Set<string>();
  return value.map((item, index) => {
    const repository = string(file, `dependents[${index}]`, item);
    if (!GITHUB_REPOSITORY.test(repository) || repository.endsWith("/.") || repository.endsWith("/.."))
      fail(file, `dependents[${index}]`, `${JSON.stringify(repository)} is not a GitHub repository like "acme/payments-logger".`);
    if (seen.has(repository.toLowerCase())) fail(file, `dependents[${index}]`, `"${repository}" is listed twice.`);
    seen.add(repository.toLowerCase());
    return repository;
  });
}

/**
 * Validates a parsed pack.json. `file` names it in messages; `cliVersion` is checked against
 * engines["create-middleware"]; `targets`/`schemas` are the valid ids.
 */
export function validateManifest(
  raw: unknown,
  options: { file: string; cliVersion: string; targets: readonly string[]; schemas: readonly string[] },
): PackManifest {
  const { file } = options;
  if (!isObject(raw)) fail(file, "the manifest", `must be a JSON object, got ${describeJson(raw)}.`);
  onlyKeys(file, "the manifest", raw, [
    "name",
    "version",
    "description",
    "targets",
    "schemas",
    "engines",
    "questions",
    "exclude",
    "skipIfExists",
    "dependents",
  ]);
  const manifest: PackManifest = { questions: [] };
  if (raw.dependents !== undefined) manifest.dependents = repositoryList(file, raw.dependents);
  for (const field of ["exclude", "skipIfExists"] as const) if (raw[field] !== undefined) manifest[field] = globList(file, field, raw[field]);
  if (raw.name !== undefined) manifest.name = string(file, "name", raw.name);
  if (raw.version !== undefined) manifest.version = string(file, "version", raw.version);
  if (raw.description !== undefined) manifest.description = string(file, "description", raw.description, { empty: true });
  if (raw.targets !== undefined) manifest.targets = stringList(file, "targets", raw.targets, options.targets);
  if (raw.schemas !== undefined) manifest.schemas = stringList(file, "schemas", raw.schemas, options.schemas);
  if (raw.engines !== undefined) {
    if (!isObject(raw.engines)) fail(file, "engines", `must be an object, got ${describeJson(raw.engines)}.`);
    onlyKeys(file, "engines", raw.engines, ["create-middleware"]);
    const range = string(file, 'engines["create-middleware"]', raw.engines["create-middleware"]);
    const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim())?.[1];
    if (!minimum) fail(file, 'engines["create-middleware"]', `must be a minimum version like ">=0.2.0", got ${JSON.stringify(range)}.`);
    manifest.minimumVersion = minimum;
    if (compareVersions(options.cliVersion, minimum) < 0) {
      throw new PackNeedsNewerCliError(
        `${file}: this pack needs create-middleware ${minimum} or later; this is ${options.cliVersion}. ` +
          "Run the latest with `npx create-middleware-package@latest`.",
        minimum,
      );
    }
  }
  if (raw.questions !== undefined) {
    if (!Array.isArray(raw.questions)) fail(file, "questions", `must be an array, got ${describeJson(raw.questions)}.`);
    if (raw.questions.length > MAX_QUESTIONS)
      fail(file, "questions", `has ${raw.questions.length} questions; a pack may ask at most ${MAX_QUESTIONS}.`);
    const earlier = new Set<string>(CONDITION_FACTS);
    manifest.questions = raw.questions.map((item, index) => {
      const parsed = question(file, `questions[${index}]`, item, earlier);
      earlier.add(parsed.key);
      return parsed;
    });
  }
  return manifest;
}

/** Room for MAX_QUESTIONS questions with long messages; a manifest is read whole, so it is bounded. */
const MAX_MANIFEST_CHARACTERS = 1024 * 1024;

/** Parses pack.json text; a syntax error is a usage error naming the file. */
export function parseManifest(text: string, options: Parameters<typeof validateManifest>[1]): PackManifest {
  if (text.length > MAX_MANIFEST_CHARACTERS) {
    throw new UsageError(
      `${options.file}: is ${Math.round(text.length / 1024)} KB; a pack.json may be at most ${MAX_MANIFEST_CHARACTERS / 1024} KB.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${options.file}: is not valid JSON (${(error as Error).message}).`);
  }
  return validateManifest(raw, options);
}

// Kept apart (condition.ts) so a run without a pack does not load the manifest checks.
export { evaluateCondition } from "./condition.js";
