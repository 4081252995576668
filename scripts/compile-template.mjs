// @ts-check
/**
 * Compiles one built-in Handlebars template, at build time, into a small JavaScript factory that renders it
 * with src/template-runtime.ts instead of Handlebars, so a scaffold from built-in templates loads no
 * Handlebars module. It walks Handlebars' own AST (Handlebars.parse applies whitespace control and strips
 * standalone lines) and emits code for exactly the constructs the built-in templates use, with Handlebars
 * 4.7's semantics under our compile options (src/compile-options.json: noEscape, strict, knownHelpersOnly).
 * Anything else throws, naming the file and line: the build fails rather than render differently.
 *
 * The generated code mirrors what Handlebars' javascript-compiler.js generates: a program's output is its
 * parts joined with `+` (so `{{a}}{{b}}` with two numbers adds them, as in Handlebars), a missing value
 * appends "", the last part of a `{{path}}` is a strict lookup while helper arguments are not, every other
 * property read is an own-property lookup.
 */
import Handlebars from "handlebars";
import COMPILE_OPTIONS from "../src/compile-options.json" with { type: "json" };

/** The helpers Handlebars registers itself; knownHelpersOnly still treats them as helpers. */
const BUILT_IN_HELPERS = ["helperMissing", "blockHelperMissing", "each", "if", "unless", "with", "log", "lookup"];
const BLOCKS = new Set(["if", "unless", "each", "with"]);
const OUR_HELPERS = new Set(Object.entries(COMPILE_OPTIONS.knownHelpers).filter(([, known]) => known).map(([name]) => name));
const KNOWN_HELPERS = new Set([...BUILT_IN_HELPERS, ...OUR_HELPERS]);

if (!COMPILE_OPTIONS.noEscape || !COMPILE_OPTIONS.strict || !COMPILE_OPTIONS.knownHelpersOnly) {
  throw new Error("scripts/compile-template.mjs implements noEscape, strict and knownHelpersOnly templates only (src/compile-options.json)");
}

/** A construct the compiler does not support, or a template Handlebars cannot parse: fails the build. */
export class TemplateCompileError extends Error {
  name = "TemplateCompileError";
}

/** @typedef {{ type: string, loc?: { start: { line: number, column: number }, end: { line: number, column: number } }, [key: string]: any }} Node */

const quote = (/** @type {unknown} */ value) => JSON.stringify(value);

// Handlebars' AST helpers (compiler/ast.js).
const scopedId = (/** @type {Node} */ path) => /^\.|this\b/.test(path.original);
const simpleId = (/** @type {Node} */ path) => path.parts.length === 1 && !scopedId(path) && !path.depth;

/**
 * How Handlebars compiles a template's programs (its body, each block's, each inline partial's), which is
 * observable, so it is taken from Handlebars' own program tree (compiler.js) and walk (javascript-compiler.js
 * compileChildren) rather than guessed:
 * - a program with the same opcodes as one compiled before (anywhere in the template) is not compiled again:
 *   it runs the first one's code, the locations its errors name included;
 * - a program keeps depths (the contexts `..` reads) when it or a program inside it reads `..` or defines an
 *   inline partial, or reuses a program first compiled where depths were kept; Handlebars then compares each
 *   context a block runs with to the last one (`!=`, which converts an object compared with a primitive).
 * @typedef {{ index: number, first: boolean, useDepths: boolean, reuseFlag: boolean }} ProgramInfo
 * @param {string} source
 */
function handlebarsPrograms(source) {
  const options = { ...COMPILE_OPTIONS, knownHelpers: { ...COMPILE_OPTIONS.knownHelpers }, data: true };
  const main = new Handlebars.Compiler().compile(Handlebars.parse(source), options);
  /** @type {Map<any, ProgramInfo>} */
  const info = new Map();
  /** @type {any[]} */
  const compiled = [];
  let count = 0;
  /** @param {any} environment @returns {boolean} the program's useDepths */
  const walk = (environment) => {
    let useDepths = false;
    for (const child of environment.children) {
      const existing = compiled.find((candidate) => candidate.equals(child));
      if (existing) {
        const first = /** @type {ProgramInfo} */ (info.get(existing));
        info.set(child, { ...first, first: false });
        useDepths = useDepths || first.reuseFlag;
      } else {
        const index = count++;
        const own = walk(child);
        compiled.push(child);
        useDepths = useDepths || own;
        // javascript-compiler.js then sets `child.useDepths = this.useDepths`: what a later reuse reads.
        info.set(child, { index, first: true, useDepths: own, reuseFlag: useDepths });
      }
    }
    return useDepths || !!environment.useDepths || !!environment.useDecorators;
  };
  const useDepths = walk(main);
  info.set(main, { index: -1, first: true, useDepths, reuseFlag: useDepths });
  return { main, info };
}

class Compiler {
  /** @param {string} file @param {ReturnType<typeof handlebarsPrograms>} programs */
  constructor(file, programs) {
    this.file = file;
    this.programs = programs;
    /** @type {string[]} */
    this.functions = [];
    /** @type {Array<{ environment: any, next: number }>} where the walk is in Handlebars' program tree */
    this.cursor = [];
    /** @type {Set<string>} the runtime functions the code calls */
    this.runtime = new Set();
    /** @type {Array<[string, string]>} */
    this.inlines = [];
  }

  /** @param {Node | undefined} node @param {string} message @returns {never} */
  fail(node, message) {
    const line = node?.loc?.start.line;
    throw new TemplateCompileError(`${this.file}${line === undefined ? "" : `:${line}`}: ${message} (the build-time template compiler, scripts/compile-template.mjs, does not support it)`);
  }

  /** A runtime function's local name, declared once at the top of the factory. @param {string} name */
  use(name) {
    this.runtime.add(name);
    return `$${name}`;
  }

  /**
   * A program (a body of statements) -> the name of the function that renders it: its own, or the one of the
   * program Handlebars runs in its place.
   * @param {Node} program @param {boolean} [main]
   */
  program(program, main = false) {
    if (program.blockParams) this.fail(program, "block parameters (`as |x|`)");
    const parent = this.cursor.at(-1);
    const environment = parent ? parent.environment.children[parent.next++] : this.programs.main;
    const { index, first, useDepths } = /** @type {ProgramInfo} */ (this.programs.info.get(environment));
    const name = main ? "main" : `p${index}`;
    if (!first) return name;
    this.cursor.push({ environment, next: 0 });
    /** @type {string[]} */
    const parts = [];
    let content = "";
    let usesPartials = false;
    const flush = () => {
      if (content) parts.push(quote(content));
      content = "";
    };
    for (const statement of program.body) {
      switch (statement.type) {
        case "ContentStatement":
          content += statement.value;
          break;
        case "CommentStatement":
          break;
        case "MustacheStatement":
          flush();
          parts.push(`(${this.mustache(statement)} ?? "")`);
          break;
        case "BlockStatement":
          flush();
          parts.push(`(${this.block(statement)} ?? "")`);
          break;
        case "PartialStatement":
          flush();
          usesPartials = true;
          parts.push(`(${this.partial(statement)} ?? "")`);
          break;
        case "DecoratorBlock":
          if (statement.path.original !== "inline") this.fail(statement, `the decorator {{#*${statement.path.original}}}`);
          if (!main) this.fail(statement, "an {{#*inline}} partial inside a block or another inline partial (only at a template's top level)");
          if (statement.params.length !== 1 || statement.params[0].type !== "StringLiteral" || statement.hash) {
            this.fail(statement, "an {{#*inline}} partial whose name is not one string");
          }
          this.inlines.push([statement.params[0].value, this.program(statement.program)]);
          break;
        default:
          this.fail(statement, statement.type === "PartialBlockStatement" ? "a partial block {{#> name}}" : `a ${statement.type}`);
      }
    }
    flush();
    const body = `return ${parts.length === 0 ? '""' : parts.join(" + ")};`;
    this.cursor.pop();
    // Without `ds` of its own, a program and the blocks it runs see the factory's `ds`, undefined: no depths.
    this.functions.push(`function ${name}(c, d${useDepths ? ", ds" : ""}) {${usesPartials ? " var P = K.p;" : ""} ${body} }`);
    return name;
  }

  /**
   * A value: a path (not strict: helper arguments may be missing), a literal, or a helper's result.
   * @param {Node} node
   */
  expression(node) {
    switch (node.type) {
      case "PathExpression":
        return this.path(node, false);
      case "SubExpression":
        return this.helperCall(node);
      case "StringLiteral":
        return quote(node.value);
      case "NumberLiteral":
      case "BooleanLiteral":
        return String(node.value);
      case "UndefinedLiteral":
        return "void 0";
      case "NullLiteral":
        return "null";
      default:
        return this.fail(node, `a ${node.type}`);
    }
  }

  /**
   * A path's value. `strict` (a `{{path}}` of its own): the last part must exist, as Handlebars' strict mode
   * requires; the parts before it are plain own-property lookups either way.
   * @param {Node} path @param {boolean} strict
   */
  path(path, strict) {
    if (path.type !== "PathExpression") this.fail(path, `a ${path.type} where a path belongs`);
    if (path.parts.some((/** @type {string} */ part) => part === "")) this.fail(path, "an empty path segment");
    let code;
    if (path.data) {
      code = path.depth ? `${this.use("dataAt")}(d, ${path.depth})` : "d";
    } else if (path.depth) {
      code = `ds[${path.depth}]`;
    } else {
      code = "c";
    }
    if (path.parts.length === 0) {
      if (path.data) this.fail(path, "a data path without a name");
      return code;
    }
    const last = strict ? path.parts.length - 1 : path.parts.length;
    for (let i = 0; i < last; i++) code = `${this.use("lookup")}(${code}, ${quote(path.parts[i])})`;
    if (strict) {
      const { line, column } = /** @type {NonNullable<Node["loc"]>} */ (path.loc).start;
      code = `${this.use("strict")}(${code}, ${quote(path.parts[last])}, ${line}, ${column})`;
    }
    return code;
  }

  /** `{{x}}`: a helper call when Handlebars would make it one (compiler.js classifySexpr), else a value. @param {Node} mustache */
  mustache(mustache) {
    const path = mustache.path;
    if (path.type !== "PathExpression") this.fail(mustache, `{{${path.original}}}, a literal in a mustache's place`);
    const isHelper = mustache.params.length > 0 || !!mustache.hash || (simpleId(path) && KNOWN_HELPERS.has(path.parts[0]));
    if (isHelper) return this.helperCall(mustache);
    return `${this.use("lambda")}(${this.path(path, true)}, c)`;
  }

  /** One of our helpers, called as Handlebars calls a known helper. @param {Node} call */
  helperCall(call) {
    const path = call.path;
    const name = path.parts?.[0];
    if (path.type !== "PathExpression" || !simpleId(path) || path.data) this.fail(call, `a helper called as ${path.original}`);
    if (!OUR_HELPERS.has(name)) {
      this.fail(call, KNOWN_HELPERS.has(name) ? `the built-in helper ${name} outside a block` : `the unknown helper ${name}`);
    }
    const args = call.params.map((/** @type {Node} */ param) => this.expression(param));
    const { start, end } = /** @type {NonNullable<Node["loc"]>} */ (call.loc);
    const options = [quote(name), "d", start.line, start.column, end.line, end.column];
    if (call.hash) options.push(this.hash(call.hash));
    args.push(`${this.use("options")}(${options.join(", ")})`);
    return `$helpers[${quote(name)}].call(c ?? $N, ${args.join(", ")})`;
  }

  /**
   * A hash as Handlebars builds it: its pairs are assigned last first, so the object (and the order its values
   * are evaluated in) is the reverse of the source's.
   * @param {Node} hash
   */
  hash(hash) {
    const pairs = [...hash.pairs].reverse().map((/** @type {Node} */ pair) => `${quote(pair.key)}: ${this.expression(pair.value)}`);
    return `{ ${pairs.join(", ")} }`;
  }

  /** `{{#if}}`, `{{#unless}}`, `{{#each}}`, `{{#with}}`, with their `{{else}}`. @param {Node} block */
  block(block) {
    const path = block.path;
    const name = path.original;
    if (path.type !== "PathExpression" || !simpleId(path) || path.data || !BLOCKS.has(name)) {
      this.fail(block, `the block {{#${name}}} (only ${[...BLOCKS].join(", ")})`);
    }
    if (block.params.length !== 1) this.fail(block, `{{#${name}}} with ${block.params.length} arguments`);
    const pairs = block.hash?.pairs ?? [];
    const includeZero = pairs.find((/** @type {Node} */ pair) => pair.key === "includeZero");
    if (pairs.length > (includeZero ? 1 : 0) || (includeZero && name !== "if" && name !== "unless")) {
      this.fail(block, `{{#${name}}} with hash arguments other than if's includeZero`);
    }
    const value = this.expression(block.params[0]);
    let program = block.program ? this.program(block.program) : "0";
    let inverse = block.inverse ? this.program(block.inverse) : "0";
    if (name === "unless") [program, inverse] = [inverse, program];
    const helper = this.use(name === "unless" ? "if" : name);
    const zero = includeZero ? `, ${this.expression(includeZero.value)}` : "";
    return `${helper}(${value}, c ?? $N, d, ds, ${program}, ${inverse}${zero})`;
  }

  /** `{{> name}}`, with an optional context argument and hash; a standalone one is indented. @param {Node} partial */
  partial(partial) {
    const nameNode = partial.name;
    if (nameNode.type === "SubExpression") this.fail(partial, "a dynamic partial {{> (name)}}");
    const name = String(nameNode.original);
    if (name.startsWith("@")) this.fail(partial, `the partial ${name}`);
    // Handlebars looks a partial up with its prototype-access rules: a name on Object.prototype is another story.
    if (name in Object.prototype) this.fail(partial, `a partial named ${name}`);
    if (partial.params.length > 1) this.fail(partial, "a partial with more than one argument");
    const context = partial.params.length === 1 ? this.expression(partial.params[0]) : "c";
    const args = ["P", quote(name), context, "d", quote(partial.indent ?? "")];
    if (partial.hash) args.push(this.hash(partial.hash));
    return `${this.use("partial")}(${args.join(", ")})`;
  }
}

/**
 * One template's source -> a JavaScript function expression, `function (R) { ... }`, that takes the runtime
 * (src/template-runtime.ts, with our helpers) and returns the template: `(context, { data, partials }) => string`.
 * `file` names the template in errors.
 * @param {string} source
 * @param {string} file
 * @returns {string}
 */
export function compileTemplate(source, file) {
  let ast;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateCompileError(`${file}: ${/** @type {Error} */ (error).message.split("\n")[0]}`);
  }
  let programs;
  try {
    programs = handlebarsPrograms(source);
  } catch (error) {
    // Handlebars' compiler refuses it (an unknown helper...): its message ends with the line and column.
    const { message, lineNumber } = /** @type {Error & { lineNumber?: number }} */ (error);
    throw new TemplateCompileError(`${file}${lineNumber === undefined ? "" : `:${lineNumber}`}: ${message.split("\n")[0]}`);
  }
  const compiler = new Compiler(file, programs);
  const main = compiler.program(ast, true);
  const inlines = compiler.inlines.length ? `[${compiler.inlines.map(([name, fn]) => `[${quote(name)}, ${fn}]`).join(", ")}]` : "0";
  const locals = ["K = {}", "ds", "$N = R.N", "$helpers = R.helpers", ...[...compiler.runtime].sort().map((name) => `$${name} = R[${quote(name)}]`)];
  return [
    "function (R) {",
    `var ${locals.join(", ")};`,
    ...compiler.functions,
    `return R.template(${main}, K, ${inlines}, ${programs.info.get(programs.main)?.useDepths});`,
    "}",
  ].join("\n");
}
