/**
 * How much text a template may make. A pack's template is untrusted: helpers that escape (`json`, `md`,
 * `comment`, ...) grow their input, so nesting them doubles it each time, and 26 levels of `json` built a
 * string V8 could not hold (the process died with a native crash, not an error). Every helper's result and
 * every rendered file is bounded; going over is the template's fault, reported as a TemplateError (exit 2)
 * that names it. Far above anything a real package file needs.
 */

/** The most a single helper call may return, in characters. */
const MAX_HELPER_OUTPUT = 1024 * 1024;
/** The most one rendered file may hold, in characters. */
const MAX_RENDERED_FILE = 8 * 1024 * 1024;

const megabytes = (characters: number) => `${characters / 1024 / 1024} MB`;

/** The helpers, each refusing a result over MAX_HELPER_OUTPUT (thrown to the renderer, which names the template). */
// biome-ignore lint/suspicious/noExplicitAny: a helper takes whatever the template passes; Handlebars types it so.
export function withOutputBudget<T extends Record<string, (...args: any[]) => unknown>>(helpers: T): T {
  const bounded: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, helper] of Object.entries(helpers)) {
    // A function, not an arrow: a block helper renders its block with the context Handlebars calls it on.
    bounded[name] = function (this: unknown, ...args: unknown[]) {
      // An input already over the budget is refused before the helper escapes it (and multiplies it).
      for (const arg of args) {
        if (typeof arg === "string" && arg.length > MAX_HELPER_OUTPUT) throw new Error(outputProblem(name));
      }
      const result = helper.apply(this, args);
      if (typeof result === "string" && result.length > MAX_HELPER_OUTPUT) throw new Error(outputProblem(name));
      return result;
    };
  }
  return bounded as T;
}

function outputProblem(helper: string): string {
  return `the helper "${helper}" would produce more than ${megabytes(MAX_HELPER_OUTPUT)} of text (helpers nested in each other multiply their output)`;
}

/** Undefined when the rendered text is within the budget; otherwise the problem, for the template's error. */
export function renderedSizeProblem(text: string): string | undefined {
  return text.length > MAX_RENDERED_FILE ? `it renders more than ${megabytes(MAX_RENDERED_FILE)} of text` : undefined;
}
