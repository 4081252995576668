/**
 * The options model: the serialisable option fields of the generated middleware, parsed from
 * `--option name:type[=default]` specs. One model feeds the TS type, the schema, the defaults, the README
 * table and the generated tests.
 */
import { UsageError } from "../errors.js";
import { describeCharacter, forbiddenCharacter, visible } from "./text-rules.js";

type FieldKind = "string" | "number" | "boolean" | "string[]" | "union";
type FieldValue = string | number | boolean | string[];

export interface OptionField {
  name: string;
  kind: FieldKind;
  /** The literals of a union; empty otherwise. */
  values: string[];
  /** Absent means the option is optional with no default. */
  default?: FieldValue;
  description: string;
}

export const FIELD_TYPES_HELP = "string, number, boolean, string[], or a union of literals like info|debug";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const FORMAT_HELP = `Format: name:type[=default], types: ${FIELD_TYPES_HELP}.`;

/** "maxItems" -> "Max items." */
function describeName(name: string): string {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_$]+/g, " ")
    .trim()
    .toLowerCase();
  return `${spaced.charAt(0).toUpperCase()}${spaced.slice(1)}.`;
}

/** A problem with a spec, as a value: the parsers below return it instead of throwing. */
class Problem {
  constructor(readonly text: string) {}
}

function parseKind(type: string): Pick<OptionField, "kind" | "values"> | Problem {
  if (type === "string" || type === "number" || type === "boolean" || type === "string[]") {
    return { kind: type, values: [] };
  }
  if (type.includes("|")) {
    const values = type.split("|").map((value) => value.trim());
    if (values.some((value) => value === "")) return new Problem(`the union "${type}" has an empty member.`);
    const duplicate = values.find((value, index) => values.indexOf(value) !== index);
    if (duplicate !== undefined) return new Problem(`the union "${type}" lists "${duplicate}" twice.`);
    return { kind: "union", values };
  }
  return new Problem(`unknown type "${type}".`);
}

function parseDefault(field: Pick<OptionField, "kind" | "values">, raw: string): FieldValue | Problem {
  switch (field.kind) {
    case "string":
      return raw;
    case "number": {
      const value = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(value)) return new Problem(`the default "${raw}" is not a finite number.`);
      // -0 is 0 everywhere the default goes (a JS or JSON literal, the README, the answers file): `+ 0` makes it so here too.
      return value + 0;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") return new Problem(`the default "${raw}" is not true or false.`);
      return raw === "true";
    case "string[]":
      return raw === "" ? [] : raw.split(",").map((item) => item.trim());
    case "union":
      if (!field.values.includes(raw)) return new Problem(`the default "${raw}" is not one of ${field.values.join(", ")}.`);
      return raw;
  }
}

/** One `name:type[=default]` spec: the field, or what is wrong with the spec. */
/** An HTTP token (RFC 9110): what Node's validateHeaderName accepts, and what a response header name must be. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * An option named `header` carries an HTTP header name (the Express skeleton sends the request id in it
 * and validates it when the factory runs), so a default that is not one would give a package whose own
 * tests fail: refused here, while the user can still fix it.
 */
function headerDefaultProblem(field: OptionField): Problem | undefined {
  if (field.name !== "header" || field.kind !== "string" || typeof field.default !== "string") return undefined;
  if (HEADER_TOKEN.test(field.default)) return undefined;
  return new Problem(
    `the default ${JSON.stringify(field.default)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~; no spaces, colons or other characters).`,
  );
}

function readOptionSpec(spec: string): OptionField | Problem {
  const control = forbiddenCharacter(spec);
  if (control !== undefined) return new Problem(`it contains the control character ${describeCharacter(control)}; remove it.`);
  const colon = spec.indexOf(":");
  if (colon === -1) return new Problem("it has no type.");
  const name = spec.slice(0, colon).trim();
  const rest = spec.slice(colon + 1);
  const equals = rest.indexOf("=");
  const type = (equals === -1 ? rest : rest.slice(0, equals)).trim();
  if (!IDENTIFIER.test(name)) return new Problem(`"${name}" is not a valid identifier (letters, digits, _ and $; not starting with a digit).`);
  // An options object inherits these: `options.constructor` would read as if the user had set it.
  if (name in Object.prototype) return new Problem(`"${name}" is a property of every object; choose another name.`);
  const kind = parseKind(type);
  if (kind instanceof Problem) return kind;
  const field: OptionField = { name, ...kind, description: describeName(name) };
  if (equals === -1) return field;
  const value = parseDefault(kind, rest.slice(equals + 1));
  if (value instanceof Problem) return value;
  const withDefault = { ...field, default: value };
  return headerDefaultProblem(withDefault) ?? withDefault;
}

// The spec is quoted with any control character escaped: a message must not carry one raw.
const specMessage = (spec: string, problem: Problem) => `Invalid --option ${visible(spec)}: ${problem.text}`;

/** What is wrong with one `name:type[=default]` spec, in one line; undefined when nothing is. */
export function optionSpecProblem(spec: string): string | undefined {
  const read = readOptionSpec(spec);
  return read instanceof Problem ? specMessage(spec, read) : undefined;
}

/** Parses one `name:type[=default]` spec; a UsageError saying what is wrong and the format otherwise. */
export function parseOptionSpec(spec: string): OptionField {
  const read = readOptionSpec(spec);
  if (read instanceof Problem) throw new UsageError(`${specMessage(spec, read)}\n${FORMAT_HELP}`);
  return read;
}

/** Parses every spec and refuses duplicate names and names taken by the starter's built-in options. */
export function parseOptionSpecs(specs: readonly string[], builtInNames: readonly string[] = []): OptionField[] {
  const fields = specs.map(parseOptionSpec);
  assertFieldNames(fields, builtInNames);
  return fields;
}

/** What is wrong with a set of fields (a name given twice, or taken by a built-in option); undefined when nothing is. */
export function optionFieldsProblem(fields: readonly OptionField[], builtInNames: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) return `Invalid --option: "${field.name}" is given twice.`;
    if (builtInNames.includes(field.name)) {
      return `Invalid --option: "${field.name}" is a built-in option of this starter (${builtInNames.join(", ")}). Choose another name.`;
    }
    seen.add(field.name);
  }
  return undefined;
}

export function assertFieldNames(fields: readonly OptionField[], builtInNames: readonly string[]): void {
  const problem = optionFieldsProblem(fields, builtInNames);
  if (problem !== undefined) throw new UsageError(problem);
}

/** How the generated code's error messages describe a received value. Templates implement the same rule. */
export function describeReceived(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  return "an object";
}

function tsType(field: OptionField): string {
  return field.kind === "union" ? field.values.map((value) => JSON.stringify(value)).join(" | ") : field.kind;
}

function expected(field: OptionField): string {
  switch (field.kind) {
    case "string":
      return "a string";
    case "number":
      return "a finite number";
    case "boolean":
      return "true or false";
    case "string[]":
      return "an array of strings";
    case "union":
      return `one of ${field.values.map((value) => JSON.stringify(value)).join(", ")}`;
  }
}

function validValue(field: OptionField): FieldValue {
  switch (field.kind) {
    case "string":
      return field.default === "example" ? "another-example" : "example";
    case "number":
      return typeof field.default === "number" ? field.default + 1 : 1;
    case "boolean":
      return field.default !== true;
    case "string[]":
      return ["a", "b"];
    case "union":
      return field.values.find((value) => value !== field.default) ?? (field.values[0] as string);
  }
}

function invalidValue(field: OptionField): unknown {
  switch (field.kind) {
    case "string":
      return 42;
    case "number":
      return "10";
    case "boolean":
      return "yes";
    case "string[]":
      return "a,b";
    case "union": {
      let value = "other";
      while (field.values.includes(value)) value += "-value";
      return value;
    }
  }
}

/** What templates receive for each field (docs/templates.md). */
export interface FieldView {
  name: string;
  kind: FieldKind;
  values: string[];
  tsType: string;
  expected: string;
  hasDefault: boolean;
  defaultValue: FieldValue | null;
  description: string;
  validValue: FieldValue;
  invalidValue: unknown;
  invalidReceived: string;
}

export function fieldView(field: OptionField): FieldView {
  const invalid = invalidValue(field);
  return {
    name: field.name,
    kind: field.kind,
    values: field.values,
    tsType: tsType(field),
    expected: expected(field),
    hasDefault: field.default !== undefined,
    defaultValue: field.default ?? null,
    description: field.description,
    validValue: validValue(field),
    invalidValue: invalid,
    invalidReceived: describeReceived(invalid),
  };
}
