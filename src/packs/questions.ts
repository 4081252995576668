/**
 * A pack's questions -> `vars`, the values templates read as `vars.<key>`. Each question is answered, in
 * order, by: `--var key=value`, then the `--answers` file, then the team config's `vars`, then a prompt
 * (only when an asker is given: a TTY without --yes), then the question's default, then (for `check` only,
 * which never asks) its `example`. Without any of these it is a usage error naming the `--var` to pass. A question whose `when` is false is not asked and its value
 * is null, so a template can still test `{{#if vars.key}}` under strict rendering.
 *
 * Every value, whatever its tier, is checked against the question (type, choices, validate.pattern).
 */
import { UsageError } from "../errors.js";
import { controlCharacterProblem } from "../answers/text-rules.js";
import { evaluateCondition } from "./condition.js";
import type { PackQuestion, VarValue } from "./manifest.js";
import { matchesPattern, slowPatternProblem } from "./pattern.js";

export type VarSource = "flag" | "answers" | "config" | "prompt" | "default" | "example" | "skipped";

/** Asks one pack question; `problem` says what is wrong with a value, or undefined when nothing is. */
type AskPackQuestion = (question: PackQuestion, problem: (value: VarValue) => string | undefined) => Promise<VarValue>;

export interface VarTiers {
  /** From `--var key=value`, as given. */
  flags?: Readonly<Record<string, string>>;
  /** The `vars` of an `--answers` file. */
  answers?: Readonly<Record<string, unknown>>;
  /** The `vars` of the team config. */
  config?: Readonly<Record<string, unknown>>;
  /** Present only when questions may be asked. */
  ask?: AskPackQuestion;
  /** `check`: a question's `example` answers when nothing else does. */
  examples?: boolean;
  /** Why nothing was asked, for the message when a question goes unanswered (default: from the terminal and --yes). */
  unasked?: string;
  /** target, schema and starter, for `when` conditions. */
  facts?: Readonly<Record<string, unknown>>;
  /**
   * `update -i`: with `ask`, every question is asked again (a flag still answers without a question), the
   * answers file's value (else the config's) preselected as its default.
   */
  reask?: boolean;
}

export interface ResolvedVars {
  vars: Record<string, VarValue | null>;
  sources: Record<string, VarSource>;
}

/** `--var key=value` (repeatable) -> a record; the value may contain `=`. */
export function parseVarFlags(specs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const spec of specs) {
    const equals = spec.indexOf("=");
    const key = equals === -1 ? "" : spec.slice(0, equals).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new UsageError(`Invalid --var "${spec}": expected key=value with an identifier as the key (--var region=eu).`);
    }
    const problem = controlCharacterProblem(spec.slice(equals + 1), `--var ${key}`);
    if (problem !== undefined) throw new UsageError(problem);
    vars[key] = spec.slice(equals + 1);
  }
  return vars;
}

/** The longest text answer: a name, a URL, a sentence; never a file. */
const MAX_TEXT = 1000;

const TRUE = ["true", "yes", "y", "1"];
const FALSE = ["false", "no", "n", "0"];

/** A value from a flag (always text) or a JSON file -> the question's type; a problem as text. */
function coerceValue(question: PackQuestion, value: unknown): VarValue | string[] | { problem: string } {
  const choices = question.choices?.map((choice) => choice.value) ?? [];
  const listChoices = () => choices.join(", ");
  switch (question.type) {
    case "text": {
      if (typeof value !== "string") return { problem: "expected text" };
      // Bounded before a pack's own validate.pattern (untrusted) ever sees it.
      if (value.length > MAX_TEXT) return { problem: `longer than ${MAX_TEXT} characters` };
      const control = controlCharacterProblem(value, "The answer");
      return control === undefined ? value : { problem: control };
    }
    case "number": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isFinite(number)) return { problem: "expected a number" };
      return number;
    }
    case "confirm": {
      if (typeof value === "boolean") return value;
      const text = typeof value === "string" ? value.trim().toLowerCase() : "";
      if (TRUE.includes(text)) return true;
      if (FALSE.includes(text)) return false;
      return { problem: "expected true or false" };
    }
    case "select":
      if (typeof value !== "string" || !choices.includes(value)) return { problem: `expected one of ${listChoices()}` };
      return value;
    case "multiselect": {
      const list = typeof value === "string" ? (value.trim() === "" ? [] : value.split(",").map((item) => item.trim())) : value;
      if (!Array.isArray(list)) return { problem: `expected a list of ${listChoices()}` };
      const wrong = list.find((item) => typeof item !== "string" || !choices.includes(item));
      if (wrong !== undefined) return { problem: `${JSON.stringify(wrong)} is not one of ${listChoices()}` };
      return list as string[];
    }
  }
}

/** Why the value does not answer the question, or undefined when it does. */
function valueProblem(question: PackQuestion, value: unknown): string | undefined {
  const coerced = coerceValue(question, value);
  if (typeof coerced === "object" && !Array.isArray(coerced)) return coerced.problem;
  if (!question.validate) return undefined;
  const matched = matchesPattern(question.validate.pattern, String(coerced));
  const slow = slowPatternProblem(matched);
  if (slow !== undefined) return `the pack's validate.pattern ${slow}`;
  return matched ? undefined : question.validate.message;
}

const SOURCE_NAMES: Record<VarSource, string> = {
  flag: "--var",
  answers: "the answers file",
  config: "the team config",
  prompt: "the prompt",
  default: "the default",
  example: "the example",
  skipped: "",
};

function accept(question: PackQuestion, value: unknown, source: VarSource): VarValue {
  const problem = valueProblem(question, value);
  if (problem !== undefined) {
    throw new UsageError(
      `Pack question "${question.key}" (${question.message}): ${JSON.stringify(value)} from ${SOURCE_NAMES[source]} is invalid: ${problem}.`,
    );
  }
  return coerceValue(question, value) as VarValue;
}

/**
 * Answers every question. `questions` undefined means the pack has no manifest: then the given vars are
 * passed through as they are (flags, answers file and config merged, in that order of precedence).
 */
export async function resolvePackVars(questions: readonly PackQuestion[] | undefined, tiers: VarTiers): Promise<ResolvedVars> {
  const flags = tiers.flags ?? {};
  if (questions === undefined) {
    const vars: Record<string, VarValue | null> = {};
    const sources: Record<string, VarSource> = {};
    for (const [tier, values] of [
      ["config", tiers.config],
      ["answers", tiers.answers],
      ["flag", flags],
    ] as const) {
      for (const [key, value] of Object.entries(values ?? {})) {
        vars[key] = value as VarValue;
        sources[key] = tier;
      }
    }
    return { vars, sources };
  }

  const keys = questions.map((question) => question.key);
  const unknown = Object.keys(flags).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown --var ${unknown.map((key) => `"${key}"`).join(", ")}: ` +
        (keys.length > 0 ? `this pack's questions are ${keys.join(", ")}.` : "this pack asks no questions."),
    );
  }

  const vars: Record<string, VarValue | null> = {};
  const sources: Record<string, VarSource> = {};
  const has = (record: Readonly<Record<string, unknown>> | undefined, key: string) =>
    record !== undefined && Object.hasOwn(record, key) && record[key] !== null && record[key] !== undefined;
  for (const question of questions) {
    const { key } = question;
    if (question.when && !evaluateCondition(question.when, { ...tiers.facts, ...vars })) {
      vars[key] = null;
      sources[key] = "skipped";
      continue;
    }
    if (has(flags, key)) {
      vars[key] = accept(question, flags[key], "flag");
      sources[key] = "flag";
    } else if (tiers.reask && tiers.ask) {
      // The earlier answer is the default offered, if it still answers the question (a pack's v2 may have
      // dropped a choice); a secret is never recorded, so it has none.
      const earlier = [tiers.answers, tiers.config].find((tier) => has(tier, key))?.[key];
      const preselected = earlier !== undefined && valueProblem(question, earlier) === undefined ? coerceValue(question, earlier) : undefined;
      const asked = preselected === undefined || question.secret ? question : { ...question, default: preselected as VarValue };
      vars[key] = accept(question, await tiers.ask(asked, (value) => valueProblem(question, value)), "prompt");
      sources[key] = "prompt";
    } else if (has(tiers.answers, key)) {
      vars[key] = accept(question, tiers.answers![key], "answers");
      sources[key] = "answers";
    } else if (has(tiers.config, key)) {
      vars[key] = accept(question, tiers.config![key], "config");
      sources[key] = "config";
    } else if (tiers.ask) {
      vars[key] = accept(question, await tiers.ask(question, (value) => valueProblem(question, value)), "prompt");
      sources[key] = "prompt";
    } else if (question.default !== undefined) {
      vars[key] = question.default;
      sources[key] = "default";
    } else if (tiers.examples && question.example !== undefined) {
      vars[key] = question.example;
      sources[key] = "example";
    } else {
      throw new UsageError(
        `Pack question "${key}" (${question.message}) has no answer: no --var, answers file, config value or default, ` +
          `and ${tiers.unasked ?? unaskedReason()}. Pass --var ${key}=<value>` +
          `${question.choices ? ` (one of ${question.choices.map((choice) => choice.value).join(", ")})` : ""}.`,
      );
    }
  }
  return { vars, sources };
}

/** Why a create or update asked nothing: --yes on a terminal, else there is no terminal. */
function unaskedReason(): string {
  return process.stdin.isTTY && process.stdout.isTTY ? "--yes asks no questions" : "there is no terminal to ask on";
}
