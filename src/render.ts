/**
 * Handlebars, configured for code: no HTML escaping, strict variables, and context helpers that make a
 * value safe where it lands (docs/templates.md). Rendering happens in memory only.
 */
import type HandlebarsModule from "handlebars";
// JSON, so scripts/compile-template.mjs (plain JavaScript, run by the build) reads the very same options.
import compileOptions from "./compile-options.json" with { type: "json" };
import { UsageError } from "./errors.js";
import { withOutputBudget } from "./render-budget.js";
import type { TemplateFile, TemplateSet } from "./template-source.js";
import { TEMPLATE_RUNTIME, type PartialFunction, type PartialScope, type TemplateRuntime } from "./template-runtime.js";

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

/** Text that stays inside a block or line comment: `*\/` cannot close it, newlines cannot leave it. */
export function commentText(value: unknown): string {
  return String(value).replace(/\*\//g, "*\\/").replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
}

/** Plain text kept to one line: for LICENSE and other prose files with no syntax of their own. */
export function singleLine(value: unknown): string {
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
// Handlebars passes its options object last; helpers only want the values.
const values = (args: HelperArgs) => args.slice(0, -1);

/** The Handlebars compiler, loaded only for templates read at run time, such as a team pack's. */
async function loadHandlebars(): Promise<Handlebars> {
  return (await import("handlebars")).default;
}

/**
 * The compile options of every template, built-in (compiled to JavaScript at build time with the semantics
 * Handlebars gives these options, scripts/compile-template.mjs) or read at run time: no HTML escaping,
 * strict variables, and only the helpers listed there. Declaring the helpers lets compiled templates call
 * them directly instead of looking each one up.
 */
export const COMPILE_OPTIONS = compileOptions;

export type HelperName = keyof (typeof COMPILE_OPTIONS)["knownHelpers"];

/** The helpers templates may call; anything else is an error at compile time. */
export const HELPER_NAMES = Object.keys(compileOptions.knownHelpers) as HelperName[];

// Typed by the shared list: a helper missing here, or one here that the list lacks, does not compile.
// Each bounded (render-budget.ts): nested escaping helpers multiply their output.
const HELPERS: Record<HelperName, (...args: HelperArgs) => unknown> = withOutputBudget({
  js: (value: unknown) => jsLiteral(value),
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
    return Array.isArray(list) ? list.map(jsLiteral).join(typeof separator === "string" ? separator : ", ") : "";
  },
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === "string" ? separator : ", ") : ""),
});

/**
 * Handlebars' own helpers that are not in our list. `log` prints to the console (stdout, ahead of --json
 * output), `lookup` reads by a computed name, and the two "missing" hooks run for calls that are not ours;
 * a template (a team pack is untrusted input) gets none of them: only our helpers, and the block built-ins
 * `if`, `unless`, `each` and `with` (docs/templates.md).
 */
const REMOVED_BUILT_INS = ["log", "lookup", "helperMissing", "blockHelperMissing"] as const;
const BLOCK_BUILT_INS = new Set(["if", "unless", "each", "with"]);

/** The options for templates compiled at run time: the shared ones, with the removed built-ins unknown. */
const RUNTIME_COMPILE_OPTIONS = {
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
  return env.compile(ast, RUNTIME_COMPILE_OPTIONS);
}

export interface Renderer {
  render(file: TemplateFile, data: object): string;
  /** Whether the renderer loaded Handlebars: only for a template not compiled at build time (a team pack's). */
  readonly usesHandlebars: boolean;
}

const needsHandlebars = (file: TemplateFile) => file.compiled === undefined && file.path.endsWith(".hbs");

const RUNTIME: TemplateRuntime = { ...TEMPLATE_RUNTIME, helpers: HELPERS };

/**
 * A renderer for the template set, whose partials it knows (first layer wins).
 *
 * Built-in templates arrive compiled to JavaScript (template-runtime.ts); a team pack's are compiled here by
 * Handlebars. Both kinds are functions with Handlebars' calling convention, `(context, { data, partials })`,
 * so they mix through one partial scope: with a pack in play, the built-in partials are registered in the
 * Handlebars environment as function partials (a pack template calls them like its own), and a built-in
 * template calls whatever the scope holds under a name, a pack's compiled partial included. Without a pack,
 * the scope is a plain object of built-in partials and Handlebars is never loaded.
 */
export async function createRenderer(templates: TemplateSet): Promise<Renderer> {
  // An empty set says nothing about the files render() will get: then Handlebars is at hand.
  const usesHandlebars =
    templates.files.length === 0 || templates.files.some(needsHandlebars) || [...templates.partials.values()].some(needsHandlebars);
  const env = usesHandlebars ? createEnvironment(await loadHandlebars()) : undefined;
  // Anything not compiled at build time is parsed here, so a syntax error names its own file.
  const compile = (file: TemplateFile): PartialFunction => {
    if (file.compiled) return file.compiled(RUNTIME);
    if (!env) throw new Error("it was not compiled at build time, and its template set did not say so (createRenderer loaded no Handlebars)");
    return compileAtRunTime(env, file.contents.toString("utf8")) as PartialFunction;
  };
  const partials: PartialScope = env ? (env.partials as PartialScope) : {};
  for (const [name, file] of templates.partials) {
    try {
      partials[name] = compile(file);
    } catch (error) {
      throw new TemplateError(`${file.layer}/${file.path}`, lineOf(error), describe(error));
    }
  }
  return {
    usesHandlebars,
    render(file, data) {
      const where = `${file.layer}/${file.path}`;
      try {
        // A Handlebars template finds the partials in its environment; ours are handed the same object.
        return compile(file)(data, { partials }) as string;
      } catch (error) {
        if (error instanceof TemplateError) throw error;
        throw new TemplateError(where, lineOf(error), describe(error));
      }
    },
  };
}
