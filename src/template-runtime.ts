/**
 * What the built-in templates need at run time once scripts/compile-template.mjs has turned them into plain
 * JavaScript: Handlebars 4.7's runtime semantics for the constructs that compiler supports, and nothing
 * else, so a scaffold from built-in templates loads no Handlebars module. Each function mirrors a named
 * piece of handlebars/dist/cjs/handlebars/runtime.js or helpers/*.js; keep them in step (the unit tests
 * compare every construct with Handlebars itself).
 *
 * A compiled template keeps Handlebars' calling convention, `template(context, { data, partials })`, so
 * either kind of template can call the other as a partial (see render.ts).
 */

/** A template or partial: Handlebars' own compiled templates and inline partials fit this shape too. */
export type PartialFunction = (context: unknown, options?: PartialOptions) => unknown;

/** What a caller hands a partial; Handlebars passes more (helpers, hooks...), which only its templates read. */
export interface PartialOptions {
  data?: DataFrame;
  partials?: PartialScope;
  partial?: boolean;
}

/** The partials a template sees: the set's, plus the `{{#*inline}}` ones of the templates running. */
export type PartialScope = Record<string, PartialFunction>;

/** `@root`, `@index`... one frame per `#each`, the parent under `_parent` (Handlebars' createFrame). */
export interface DataFrame {
  root?: unknown;
  _parent?: DataFrame;
  [key: string]: unknown;
}

/** A compiled program (the template's body, a block's, an inline partial's): context, data, depths -> output. */
type Program = (context: unknown, data: DataFrame, depths: unknown[] | undefined) => unknown;

/** A template's state between calls, Handlebars' `container.partials`: read by its programs when they start. */
export interface Container {
  p?: PartialScope;
}

/** Handlebars' `container.nullContext`: what a helper gets as `this` when the context is null. */
export const NULL_CONTEXT = Object.seal({});

/** Handlebars' Utils.extend: own enumerable properties, later sources winning. */
export function extend(target: Record<string, unknown>, ...sources: unknown[]): Record<string, unknown> {
  for (const source of sources) {
    for (const key in source as object) {
      if (Object.prototype.hasOwnProperty.call(source, key)) target[key] = (source as Record<string, unknown>)[key];
    }
  }
  return target;
}

// The prototype-access rules of runtime.js's lookupProperty (proto-access.js, default options): a value from
// the prototype chain is refused; refusing a name not on these deny lists is logged, once per name.
const DENIED_PROPERTIES = new Set(["__proto__"]);
const DENIED_METHODS = new Set(["constructor", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);
const loggedProperties = new Set<string>();
function deniedPrototypeAccess(name: string, result: unknown): undefined {
  if ((typeof result === "function" ? DENIED_METHODS : DENIED_PROPERTIES).has(name) || loggedProperties.has(name)) return undefined;
  loggedProperties.add(name);
  console.error(
    `Handlebars: Access has been denied to resolve the property "${name}" because it is not an "own property" of its parent.\n` +
      "You can add a runtime option to disable the check or this warning:\n" +
      "See https://handlebarsjs.com/api-reference/runtime-options.html#options-to-control-prototype-access for details",
  );
  return undefined;
}
const isPrototypeConstructor = (parent: unknown, name: string, result: unknown) =>
  name === "constructor" && typeof result === "function" && parent === (result as { prototype?: unknown }).prototype;

/** `container.lookupProperty`: a property of the parent's own (so never `constructor` or `__proto__`). */
export function lookupProperty(parent: unknown, name: string): unknown {
  // Indexing undefined throws the same TypeError Handlebars' generated code throws.
  const result = (parent as Record<string, unknown>)[name];
  if (result == null) return result;
  if (Object.prototype.hasOwnProperty.call(parent, name) && !isPrototypeConstructor(parent, name, result)) return result;
  return deniedPrototypeAccess(name, result);
}

/** `container.strict`: the last part of a `{{path}}` must exist (strict mode), else an error naming its line. */
export function strict(object: unknown, name: string, line: number, column: number): unknown {
  if (!object || !(name in (object as object))) {
    // `+`, not a template literal: Handlebars converts the object as `+` does (valueOf first).
    throw new Error('"' + name + '" not defined in ' + (object as string) + " - " + line + ":" + column);
  }
  return lookupProperty(object, name);
}

/** `container.lambda`: a function found by a `{{path}}` is called with the context as `this`. */
export function lambda(value: unknown, context: unknown): unknown {
  return typeof value === "function" ? (value as (this: unknown) => unknown).call(context) : value;
}

/** `container.data`: the data frame `depth` `#each` levels up (`@../index`). */
export function dataAt(data: DataFrame | undefined, depth: number): DataFrame | undefined {
  let frame = data;
  while (frame && depth--) frame = frame._parent;
  return frame;
}

/** wrapProgram's depths: a program run with a new context sees it as `.`, the old ones as `..`, `../..`. */
function depthsFor(context: unknown, depths: unknown[] | undefined): unknown[] | undefined {
  // Loose `!=` as in runtime.js: only a context change counts as a level.
  // eslint-disable-next-line eqeqeq
  return depths && context != depths[0] && !(context === NULL_CONTEXT && depths[0] === null) ? [context, ...depths] : depths;
}

const run = (program: Program | 0, context: unknown, data: DataFrame, depths: unknown[] | undefined) =>
  program ? program(context, data, depthsFor(context, depths)) : "";

// Handlebars' Utils.isEmpty.
const isEmpty = (value: unknown) => (!value && value !== 0) || (Array.isArray(value) && value.length === 0);

/** The `if` helper (`unless` is `if` with its two programs swapped). `self` is the helper's `this`. */
export function ifBlock(
  condition: unknown,
  self: unknown,
  data: DataFrame,
  depths: unknown[] | undefined,
  program: Program | 0,
  inverse: Program | 0,
  includeZero?: unknown,
): unknown {
  const value = typeof condition === "function" ? (condition as (this: unknown) => unknown).call(self) : condition;
  return (!includeZero && !value) || isEmpty(value) ? run(inverse, self, data, depths) : run(program, self, data, depths);
}

/** The `with` helper. */
export function withBlock(value: unknown, self: unknown, data: DataFrame, depths: unknown[] | undefined, program: Program | 0, inverse: Program | 0): unknown {
  const context = typeof value === "function" ? (value as (this: unknown) => unknown).call(self) : value;
  return isEmpty(context) ? run(inverse, self, data, depths) : run(program, context, data, depths);
}

/** The `each` helper: arrays (holes skipped), iterables, then objects' own keys; `@key @index @first @last`. */
export function eachBlock(value: unknown, self: unknown, data: DataFrame, depths: unknown[] | undefined, program: Program | 0, inverse: Program | 0): unknown {
  const context = typeof value === "function" ? (value as (this: unknown) => unknown).call(self) : value;
  const frame: DataFrame = { ...data, _parent: data };
  let result: unknown = "";
  let i = 0;
  const iteration = (key: unknown, index: number, last: boolean, item: unknown) => {
    frame.key = key;
    frame.index = index;
    frame.first = index === 0;
    frame.last = !!last;
    result = (result as string) + (run(program, item, frame, depths) as string);
  };
  if (context && typeof context === "object") {
    if (Array.isArray(context)) {
      for (const length = context.length; i < length; i++) if (i in context) iteration(i, i, i === context.length - 1, context[i]);
    } else if ((context as Iterable<unknown>)[Symbol.iterator]) {
      const iterator = (context as Iterable<unknown>)[Symbol.iterator]();
      let current = iterator.next();
      while (!current.done) {
        const next = iterator.next();
        try {
          iteration(i, i, !!next.done, current.value);
        } catch (error) {
          if (!next.done) closeIterator(iterator);
          throw error;
        }
        current = next;
        i++;
      }
    } else {
      let priorKey: string | undefined;
      for (const key of Object.keys(context)) {
        if (priorKey !== undefined) iteration(priorKey, i - 1, false, (context as Record<string, unknown>)[priorKey]);
        priorKey = key;
        i++;
      }
      if (priorKey !== undefined) iteration(priorKey, i - 1, true, (context as Record<string, unknown>)[priorKey]);
    }
  }
  if (i === 0) result = run(inverse, self, data, depths);
  return result;
}

function closeIterator(iterator: Iterator<unknown>): void {
  try {
    const close = iterator.return;
    if (typeof close === "function") close.call(iterator);
  } catch {
    // The block's own error is the one to report.
  }
}

/** The options object a helper receives (Handlebars' setupParams, plus wrapHelper's lookupProperty). */
export function helperOptions(name: string, data: DataFrame, line: number, column: number, endLine: number, endColumn: number, hash?: object) {
  return { name, hash: hash ?? {}, data, loc: { start: { line, column }, end: { line: endLine, column: endColumn } }, lookupProperty };
}

/**
 * `{{> name}}`: runtime.js's invokePartialWrapper. The partial comes from the scope of the calling program
 * (own properties only), gets the context (merged with the hash, when given) and the caller's data; a
 * standalone partial's output is indented line by line.
 */
export function invokePartial(partials: PartialScope, name: string, context: unknown, data: DataFrame, indent: string, hash?: object): unknown {
  const partialContext = hash ? extend({}, context, hash) : context;
  const partial = Object.prototype.hasOwnProperty.call(partials, name) ? partials[name] : undefined;
  if (partial === undefined) throw new Error(`The partial ${name} could not be found`);
  let result = partial(partialContext, { data, partials });
  if (result == null) throw new Error(`The partial ${name} returned no output: partials must return a string`);
  if (indent) {
    const lines = (result as string).split("\n");
    for (let i = 0, l = lines.length; i < l; i++) {
      if (!lines[i] && i + 1 === l) break;
      lines[i] = indent + lines[i];
    }
    result = lines.join("\n");
  }
  return result;
}

/**
 * A compiled template, called as Handlebars calls one: `data` gets `@root` unless the caller's has one;
 * the partial scope is the caller's, plus the template's `{{#*inline}}` partials while its body runs
 * (runtime.js's template() with the inline decorator).
 */
export function template(main: Program, container: Container, inlines: Array<[string, Program]> | 0, useDepths: boolean): PartialFunction {
  return (context, options = {}) => {
    const data: DataFrame = options.partial ? (options.data as DataFrame) : initData(context, options.data);
    container.p = options.partials ?? {};
    const depths = useDepths ? [context] : undefined;
    if (!inlines) return "" + (main(context, data, depths) as string);
    const props: PartialScope = {};
    // Handlebars runs the body's decorators with depths `[]`, so `..` in an inline partial is its caller's context only.
    for (const [name, body] of inlines) props[name] = (inlineContext, inlineOptions) => body(inlineContext, inlineOptions?.data || data, depthsFor(inlineContext, useDepths ? [] : undefined));
    const original = container.p;
    container.p = extend({}, original, props) as PartialScope;
    const result = "" + (main(context, data, depths) as string);
    container.p = original;
    return result;
  };
}

function initData(context: unknown, data: DataFrame | undefined): DataFrame {
  if (data && "root" in data) return data;
  return data ? { ...data, _parent: data, root: context } : { root: context };
}

/** The runtime a compiled template's factory receives, with the helpers render.ts defines. */
export const TEMPLATE_RUNTIME = {
  N: NULL_CONTEXT,
  lookup: lookupProperty,
  strict,
  lambda,
  dataAt,
  if: ifBlock,
  with: withBlock,
  each: eachBlock,
  options: helperOptions,
  partial: invokePartial,
  template,
};

export type TemplateRuntime = typeof TEMPLATE_RUNTIME & { helpers: Record<string, (...args: unknown[]) => unknown> };

/** What scripts/compile-template.mjs emits for one template: given the runtime, the template. */
export type TemplateFactory = (runtime: TemplateRuntime) => PartialFunction;
