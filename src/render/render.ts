/**
 * Handlebars, configured for code: no HTML escaping, strict variables, and context helpers that make a
 * value safe where it lands (docs/templates.md). Rendering happens in memory only.
 */
import type HandlebarsModule from "handlebars";
// JSON, so scripts/build.mjs (plain JavaScript) precompiles the built-in templates with the very same options.
import compileOptions from "./compile-options.json" with { type: "json" };
import { UsageError } from "../errors.js";
import { withOutputBudget } from "./render-budget.js";
import type { TemplateFile, TemplateSet } from "./template-source.js";

/** Handlebars' full module or its runtime (handlebars/runtime): the runtime has all but the compiler. */
type Handlebars = typeof HandlebarsModule;

/** A template that does not render: exit 2, naming the file and, when known, the line. */
export class TemplateError extends UsageError {
  override name = "TemplateError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`Template ${file}${line === undefined ? "" : `:${line}`} failed to render: ${detail}`);
  }
}

// U+2028/2029 are valid in JSON strings but end lines in older JS parsers and editors.
const escapeLineSeparators = (json: string) => json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

/** A JS/TS literal for any JSON value. */
export function jsLiteral(value: unknown): string {
  return escapeLineSeparators(JSON.stringify(value ?? null));
}

/**
 * A JS/TS literal as Biome prints it: a string in double quotes unless it holds more double quotes than
 * single ones (then single quotes, fewer escapes), an array with a space after each comma. Anything else as
 * jsLiteral. It evaluates to the same value.
 */
export function jsSource(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsSource).join(", ")}]`;
  const literal = jsLiteral(value);
  if (typeof value !== "string") return literal;
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  if (doubles <= singles) return literal;
  // JSON escapes a double quote as \" only, so each \" is one; a single quote now needs the escape.
  return `'${literal.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** Text that stays inside a block or line comment: `*\/` cannot close it, newlines cannot leave it. */
export function commentText(value: unknown): string {
  return String(value)
    .replace(/\*\//g, "*\\/")
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
}

/** Plain text kept to one line: for LICENSE and other prose files with no syntax of their own. */
function singleLine(value: unknown): string {
  return String(value).replace(/\s*[\r\n]+\s*/g, " ");
}

/** Text escaped for inline Markdown. */
export function markdownText(value: unknown): string {
  return String(value)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`);
}

/** An inline code span that survives backticks inside the text. */
export function markdownCode(value: unknown): string {
  const text = String(value).replace(/\s*[\r\n]+\s*/g, " ");
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

type HelperArgs = unknown[];

/** The generated biome.jsonc's `formatter.lineWidth`: what `{{#fits}}` measures lines against unless given another. */
export const FITS_WIDTH = 120;

/** Whether every line of the text is at most `width` characters (Biome's measure, for the ASCII the generated code holds). */
function linesFit(text: string, width: number): boolean {
  return text.split("\n").every((line) => line.length <= width);
}

interface BlockOptions {
  fn?: (context: unknown) => string;
  inverse?: (context: unknown) => string;
}
// Handlebars passes its options object last; helpers only want the values.
const values = (args: HelperArgs) => args.slice(0, -1);

/**
 * Handlebars with its compiler, for templates read at run time (a team pack's); else only its runtime,
 * which runs the built-in templates precompiled at build time. Each is a chunk of its own (scripts/build.mjs).
 */
async function loadHandlebars(withCompiler: boolean): Promise<Handlebars> {
  if (withCompiler) return (await import("handlebars")).default;
  // The file name: Node's import() takes no extensionless subpath of a package without an exports map.
  return (await import("handlebars/runtime.js")).default as unknown as Handlebars;
}

/**
 * The compile options of every template, built-in (precompiled at build time, scripts/build.mjs) or read
 * at run time: no HTML escaping, strict variables, and only the helpers listed there. Declaring the helpers
 * lets compiled templates call them directly instead of looking each one up.
 */
export const COMPILE_OPTIONS = {
  noEscape: compileOptions.noEscape,
  strict: compileOptions.strict,
  knownHelpersOnly: compileOptions.knownHelpersOnly,
  knownHelpers: compileOptions.knownHelpers,
};

export type HelperName = keyof (typeof COMPILE_OPTIONS)["knownHelpers"];

/** The helpers templates may call; anything else is an error at compile time. */
export const HELPER_NAMES = Object.keys(compileOptions.knownHelpers) as HelperName[];

// Typed by the shared list: a helper missing here, or one here that the list lacks, does not compile.
// Each bounded (render-budget.ts): nested escaping helpers multiply their output.
const HELPERS: Record<HelperName, (...args: HelperArgs) => unknown> = withOutputBudget({
  js: (value: unknown) => jsSource(value),
  json: (value: unknown) => jsLiteral(value),
  comment: (value: unknown) => commentText(value),
  md: (value: unknown) => markdownText(value),
  code: (value: unknown) => markdownCode(value),
  // In a table cell a pipe ends the cell even inside a code span; GFM reads `\|` there as a pipe.
  cellCode: (value: unknown) => markdownCode(value).replace(/\|/g, "\\|"),
  line: (value: unknown) => singleLine(value),
  yaml: (value: unknown) => jsLiteral(String(value)),
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  and: (...args: HelperArgs) => values(args).every(Boolean),
  or: (...args: HelperArgs) => values(args).some(Boolean),
  not: (value: unknown) => !value,
  // The items as JS literals, joined by ", " or the separator given: `{{jsList values}}`, `{{jsList values " | "}}`.
  jsList: (...args: HelperArgs) => {
    const [list, separator] = values(args);
    return Array.isArray(list) ? list.map(jsSource).join(typeof separator === "string" ? separator : ", ") : "";
  },
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === "string" ? separator : ", ") : ""),
  // A layout as Biome prints it, whatever the length of the names in it: `{{#fits}}one line{{else}}wrapped{{/fits}}`
  // gives the block when each of its lines fits the line width (FITS_WIDTH, or `{{#fits 100}}`), else the
  // {{else}} part. Without a block, `(fits text)` says whether the text fits.
  fits: function (this: unknown, ...args: HelperArgs) {
    const options = args.at(-1) as BlockOptions;
    const [first] = values(args);
    const width = typeof first === "number" ? first : FITS_WIDTH;
    if (typeof options.fn !== "function") return linesFit(String(first ?? ""), width);
    const text = options.fn(this);
    return linesFit(text, width) ? text : (options.inverse?.(this) ?? "");
  },
});

/**
 * Handlebars' own helpers that are not in our list (compile-options.json, removedBuiltIns). `log` prints to
 * the console (stdout, ahead of --json output), `lookup` reads by a computed name, and the two "missing"
 * hooks run for calls that are not ours; a template (a team pack is untrusted input) gets none of them:
 * only our helpers, and the block built-ins `if`, `unless`, `each` and `with` (docs/templates.md).
 */
const REMOVED_BUILT_INS = compileOptions.removedBuiltIns;
const BLOCK_BUILT_INS = new Set(["if", "unless", "each", "with"]);

/**
 * What Handlebars compiles every template with, at build time and at run time: the shared options, with
 * the removed built-ins unknown (scripts/build.mjs derives the same from compile-options.json).
 */
const HANDLEBARS_OPTIONS = {
  ...COMPILE_OPTIONS,
  knownHelpers: { ...COMPILE_OPTIONS.knownHelpers, ...Object.fromEntries(REMOVED_BUILT_INS.map((name) => [name, false])) },
};

function createEnvironment(handlebars: Handlebars): Handlebars {
  const env = handlebars.create();
  for (const name of REMOVED_BUILT_INS) env.unregisterHelper(name);
  env.registerHelper(HELPERS);
  return env;
}

interface AstNode {
  type?: string;
  path?: { original?: unknown };
  loc?: { start?: { line?: number } };
  [key: string]: unknown;
}

/**
 * Refuses, before anything runs, a block (`{{#name}}`) that is neither a block built-in nor one of our
 * helpers (Handlebars would hand it to blockHelperMissing), and any decorator but `{{#*inline}}` partials.
 */
function assertAllowedBlocks(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) assertAllowedBlocks(child);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const ast = node as AstNode;
  const name = typeof ast.path?.original === "string" ? ast.path.original : String(ast.path?.original);
  const line = ast.loc?.start?.line;
  const where = line === undefined ? "" : ` on line ${line}`;
  if (ast.type === "BlockStatement" && !BLOCK_BUILT_INS.has(name) && !(HELPER_NAMES as readonly string[]).includes(name)) {
    throw new Error(`{{#${name}}}${where} is not allowed: blocks may only be ${[...BLOCK_BUILT_INS].join(", ")} or one of our helpers`);
  }
  if ((ast.type === "DecoratorBlock" || ast.type === "Decorator") && name !== "inline") {
    throw new Error(`the decorator {{*${name}}}${where} is not allowed: only {{#*inline}} partials are`);
  }
  for (const [key, value] of Object.entries(ast)) if (key !== "loc" && key !== "path") assertAllowedBlocks(value);
}

function lineOf(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = /on line (\d+)/.exec(message) ?? / - (\d+):\d+\s*$/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function describe(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
  const unknown = /You specified knownHelpersOnly, but used the unknown helper (\S+)/.exec(first);
  if (unknown) {
    return `it calls the helper "${unknown[1]}", which templates may not use. The helpers are ${HELPER_NAMES.join(", ")}; the blocks ${[...BLOCK_BUILT_INS].join(", ")}`;
  }
  return first;
}

/** A template read at run time (a team pack): parsed, checked for blocks we do not allow, compiled. */
function compileAtRunTime(env: Handlebars, source: string): HandlebarsTemplateDelegate {
  const ast = env.parse(source);
  assertAllowedBlocks(ast.body);
  return env.compile(ast, HANDLEBARS_OPTIONS);
}

export interface Renderer {
  render(file: TemplateFile, data: object): string;
  /** Whether the renderer loaded Handlebars' compiler: only for a template not precompiled at build time (a team pack's). */
  readonly usesHandlebars: boolean;
}

const needsCompiler = (file: TemplateFile) => file.compiled === undefined && file.path.endsWith(".hbs");

/**
 * A renderer for the template set, whose partials it knows (first layer wins).
 *
 * Built-in templates arrive precompiled by Handlebars at build time (`Handlebars.precompile()`); a team
 * pack's are compiled here by Handlebars' compiler with the same options. Either becomes a template of one
 * Handlebars environment, with our helpers and the set's partials, so they call each other's partials.
 * Without a pack only Handlebars' runtime is loaded, not its compiler.
 */
export async function createRenderer(templates: TemplateSet): Promise<Renderer> {
  // An empty set says nothing about the files render() will get: then the compiler is at hand.
  const usesHandlebars = templates.files.length === 0 || templates.files.some(needsCompiler) || [...templates.partials.values()].some(needsCompiler);
  const env = createEnvironment(await loadHandlebars(usesHandlebars));
  // Anything not precompiled is parsed here, so a syntax error names its own file.
  const compile = (file: TemplateFile): HandlebarsTemplateDelegate => {
    if (file.compiled) return env.template(file.compiled as TemplateSpecification);
    if (!usesHandlebars)
      throw new Error("it was not precompiled at build time, and its template set did not say so (createRenderer loaded no compiler)");
    return compileAtRunTime(env, file.contents.toString("utf8"));
  };
  for (const [name, file] of templates.partials) {
    try {
      env.partials[name] = compile(file);
    } catch (error) {
      throw new TemplateError(`${file.layer}/${file.path}`, lineOf(error), describe(error));
    }
  }
  return {
    usesHandlebars,
    render(file, data) {
      const where = `${file.layer}/${file.path}`;
      try {
        return compile(file)(data);
      } catch (error) {
        if (error instanceof TemplateError) throw error;
        throw new TemplateError(where, lineOf(error), describe(error));
      }
    },
  };
}
