/**
 * A pack's `validate.pattern` run against a text, in bounded time. The pattern is untrusted: `^(a+)+$`
 * against thirty `a`s and a `!` backtracks for minutes, and a regular expression cannot be interrupted by
 * Ctrl-C from JavaScript. So every match runs inside a `vm` call with a timeout (V8 stops a running
 * regular expression there); a pattern that takes longer is the pack's fault, reported as such.
 */
import vm from "node:vm";

/** Far more than any sane pattern needs on an answer of MAX_TEXT characters, even on a loaded machine. */
export const PATTERN_TIMEOUT_MS = 1000;

let compiled: { script: vm.Script; context: vm.Context } | undefined;

/** true or false; "timeout" when the pattern did not finish in PATTERN_TIMEOUT_MS. Throws for an invalid pattern. */
export function matchesPattern(pattern: string, text: string): boolean | "timeout" {
  const regexp = new RegExp(pattern, "u");
  compiled ??= { script: new vm.Script("regexp.test(text)"), context: vm.createContext({}) };
  Object.assign(compiled.context, { regexp, text });
  try {
    return compiled.script.runInContext(compiled.context, { timeout: PATTERN_TIMEOUT_MS }) as boolean;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "timeout";
    throw error;
  } finally {
    Object.assign(compiled.context, { regexp: undefined, text: undefined });
  }
}

/** The problem with a pattern that timed out, for messages. */
export const SLOW_PATTERN = `takes more than ${PATTERN_TIMEOUT_MS / 1000} s to match (it backtracks catastrophically, like (a+)+$); the pack's author must simplify it`;
