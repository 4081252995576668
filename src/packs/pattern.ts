/**
 * A pack's `validate.pattern` run against a text, in bounded time. The pattern is untrusted: `^(a+)+$`
 * against thirty `a`s and a `!` backtracks for minutes, and a regular expression cannot be interrupted by
 * Ctrl-C from JavaScript. So every match runs inside a `vm` call with a timeout (V8 stops a running
 * regular expression there) that also breaks on Ctrl-C; a pattern that takes longer is the pack's fault,
 * reported as such. One match gets at most PATTERN_TIMEOUT_MS, and all of a run's matches together (one
 * run uses one pack) at most PATTERN_BUDGET_MS: 1,500 questions of 0.9 s each must not add up to minutes.
 */
import type vm from "node:vm";
import { CancelledError } from "../errors.js";

/** Far more than any sane pattern needs on an answer of MAX_TEXT characters, even on a loaded machine. */
const PATTERN_TIMEOUT_MS = 1000;
/** Every pattern match of a run, together. */
const PATTERN_BUDGET_MS = 3000;

let compiled: { script: vm.Script; context: vm.Context } | undefined;
let spentMs = 0;

/**
 * true or false; "timeout" when the pattern did not finish in PATTERN_TIMEOUT_MS, "budget" when the run's
 * patterns together used up PATTERN_BUDGET_MS. Throws for an invalid pattern, CancelledError on Ctrl-C.
 */
export function matchesPattern(pattern: string, text: string): boolean | "timeout" | "budget" {
  const regexp = new RegExp(pattern, "u");
  const left = PATTERN_BUDGET_MS - spentMs;
  if (left <= 0) return "budget";
  const timeout = Math.max(1, Math.min(PATTERN_TIMEOUT_MS, Math.ceil(left)));
  // node:vm is loaded here, by the first pack pattern, not by every run that imports this module (a scaffold).
  if (compiled === undefined) {
    const { Script, createContext } = process.getBuiltinModule("node:vm");
    compiled = { script: new Script("regexp.test(text)"), context: createContext({}) };
  }
  Object.assign(compiled.context, { regexp, text });
  const started = performance.now();
  try {
    return compiled.script.runInContext(compiled.context, { timeout, breakOnSigint: true }) as boolean;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return timeout < PATTERN_TIMEOUT_MS ? "budget" : "timeout";
    if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
      throw new CancelledError("Interrupted while checking the template pack's patterns: nothing was written.");
    throw error;
  } finally {
    spentMs += performance.now() - started;
    Object.assign(compiled.context, { regexp: undefined, text: undefined });
  }
}

/** The problem with a pattern that timed out, for messages. */
const SLOW_PATTERN = `takes more than ${PATTERN_TIMEOUT_MS / 1000} s to match (it backtracks catastrophically, like (a+)+$); the pack's author must simplify it`;

/** The problem when the patterns together ran out of time, for messages. */
const SLOW_PATTERNS = `made the pack's patterns together take more than ${PATTERN_BUDGET_MS / 1000} s (they backtrack, like (a+)+$); the pack's author must simplify them`;

/** The message for a result that is not true or false, or undefined for a match or a miss. */
export function slowPatternProblem(result: boolean | "timeout" | "budget"): string | undefined {
  return result === "timeout" ? SLOW_PATTERN : result === "budget" ? SLOW_PATTERNS : undefined;
}
