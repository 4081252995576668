/**
 * The only module that talks to `prompts`. Everything else asks through the `Asker` interface, so tests can
 * answer questions without a terminal. `prompts` itself is loaded only when a question is really asked.
 */
import type { Writable } from "node:stream";
import type { PromptObject } from "prompts";
import { formatOptionSpec } from "./answers-file.js";
import { CancelledError } from "../errors.js";
import { installLineEditing } from "./line-editing.js";
import { FIELD_TYPES_HELP, parseOptionSpec, type OptionField } from "./option-fields.js";
import type { PackQuestion, VarValue } from "../packs/manifest.js";
import { repositoryWebUrl } from "../system/repository.js";
import { DEFAULT_SCHEMA, schemaProfile, SCHEMAS, type Schema } from "../tables/schemas.js";
import { defaultStarter, starterTarget, startersFor, type PackStarters } from "../tables/starters.js";
import { DEFAULT_TARGET, targetProfile, TARGETS, type Target } from "../tables/targets.js";
import { nodeStream } from "../system/standard-streams.js";

export interface Asker {
  /** `problem` says what is wrong with a directory answer (checked as it is typed), or undefined. */
  directory(initial: string, problem?: (value: string) => string | undefined): Promise<string>;
  /** `problem` says what is wrong with a name, or undefined when nothing is. */
  packageName(initial: string, problem: (name: string) => string | undefined): Promise<string>;
  /** `initial`: the answer preselected (`update -i`: the recorded one); the default target without it. */
  target(initial?: Target): Promise<Target>;
  /** `initial`: the answer preselected (`update -i`: the recorded one); the default schema without it. */
  schema(initial?: Schema): Promise<Schema>;
  /**
   * What the middleware does, among the starters `target` has (built in, then a pack's own: `extra`);
   * `initial` preselected when the target has it (`update -i`: the recorded one), else the target's default.
   */
  starter(target: Target, extra?: PackStarters, initial?: string): Promise<string>;
  /** `problem` says what is wrong with a description (checked at its prompt), or undefined. */
  description(problem?: (value: string) => string | undefined): Promise<string>;
  /** The repository URL ("" for none); `initial` is the git remote, when there is one. */
  repository?(initial: string): Promise<string>;
  /**
   * The option fields, one spec at a time, until an empty answer. Empty result: keep the starter set.
   * `problem` says what is wrong with a spec given the fields so far, or undefined when nothing is.
   * `starter` are the starter's own fields: shown, and kept (with the ones added after them) if the user says so.
   */
  optionFields(problem: (spec: string, sofar: OptionField[]) => string | undefined, starter?: readonly OptionField[]): Promise<OptionField[]>;
  install(): Promise<boolean>;
  git(): Promise<boolean>;
  /**
   * One of a team pack's own questions (pack.json), asked as its type says (text, number, confirm, select,
   * multiselect) with its default preselected. `problem` checks the answer (type, choices, validate).
   */
  packQuestion(question: PackQuestion, problem: (value: VarValue) => string | undefined): Promise<VarValue>;
}

type Question = Omit<PromptObject, "name">;

/** An Asker backed by the `prompts` library, writing its questions to `output`. */
export function createPromptAsker(output: Writable = nodeStream(1)): Asker {
  async function ask<T>(question: Question): Promise<T> {
    const { default: prompts } = await import("prompts");
    await installLineEditing(prompts);
    const answers = await prompts({ ...question, name: "value", stdout: output } as PromptObject, {
      onCancel: () => {
        throw new CancelledError();
      },
    });
    return answers.value as T;
  }

  return {
    directory: (initial, problem) =>
      ask<string>({
        type: "text",
        message: "Where should the package go?",
        initial,
        format: (value: string) => value.trim(),
        validate: (value: string) => (value.trim() === "" ? "Enter a directory name" : (problem?.(value.trim()) ?? true)),
      }),
    packageName: (initial, problem) =>
      ask<string>({
        type: "text",
        message: "Package name:",
        initial,
        validate: (value: string) => problem(value.trim()) ?? true,
        format: (value: string) => value.trim(),
      }),
    target: (initial = DEFAULT_TARGET) =>
      ask<Target>({
        type: "select",
        message: "Which framework is the middleware for?",
        choices: TARGETS.map((target) => ({ title: targetProfile(target).title, value: target })),
        initial: TARGETS.indexOf(initial),
      }),
    schema: (initial = DEFAULT_SCHEMA) =>
      ask<Schema>({
        type: "select",
        message: "Validate the middleware's options with:",
        choices: SCHEMAS.map((schema) => ({ title: schemaProfile(schema).title, value: schema })),
        initial: SCHEMAS.indexOf(initial),
      }),
    starter: (target, extra, initial) => {
      const starters = startersFor(target, extra);
      const preselected = initial !== undefined && starters.includes(initial) ? initial : defaultStarter(target);
      return ask<string>({
        type: "select",
        message: "What does the middleware do?",
        choices: starters.map((starter) => ({ title: starter, description: starterTarget(starter, target).summary, value: starter })),
        initial: starters.indexOf(preselected),
      });
    },
    description: (problem) =>
      ask<string>({
        type: "text",
        message: "Description (optional):",
        initial: "",
        validate: (value: string) => problem?.(value.trim()) ?? true,
      }).then((value) => value.trim()),
    repository: (initial) =>
      ask<string>({
        type: "text",
        message: "Repository URL (optional; for package.json and npm provenance):",
        initial,
        format: (value: string) => value.trim(),
        validate: (value: string) =>
          value.trim() === "" || repositoryWebUrl(value) !== undefined ? true : "Enter a URL like https://github.com/owner/repo, or nothing",
      }),
    async optionFields(problem, starter = []) {
      const fields: OptionField[] = [];
      if (starter.length > 0) {
        const specs = starter.map(formatOptionSpec);
        const keep = await ask<boolean>({
          type: "confirm",
          message: `The starter's options: ${specs.join(", ")}. Keep them (and add your own after)?`,
          initial: true,
        });
        // As the answers file records them (name:type[=default]), so a replay renders the same package.
        if (keep) fields.push(...specs.map(parseOptionSpec));
      }
      const kept = fields.length;
      for (;;) {
        const spec = await ask<string>({
          type: "text",
          message:
            fields.length === 0
              ? `Add an option (name:type[=default], ${FIELD_TYPES_HELP}; empty for the starter set):`
              : fields.length === kept
                ? `Add an option of your own (name:type[=default], ${FIELD_TYPES_HELP}; empty to finish):`
                : "Add another option (empty to finish):",
          validate: (value: string) => (value.trim() === "" ? true : (problem(value.trim(), fields) ?? true)),
        });
        // Nothing added: the starter set, exactly (recorded as such, "options": null).
        if (spec.trim() === "") return fields.length === kept ? [] : fields;
        fields.push(parseOptionSpec(spec.trim()));
      }
    },
    install: () => ask<boolean>({ type: "confirm", message: "Install dependencies?", initial: true }),
    git: () => ask<boolean>({ type: "confirm", message: "Initialise a git repository?", initial: true }),
    packQuestion: (question, problem) => ask<VarValue>(packPrompt(question, problem)),
  };
}

/** A pack question as a `prompts` question. */
function packPrompt(question: PackQuestion, problem: (value: VarValue) => string | undefined): Question {
  const validate = (value: VarValue) => problem(value) ?? true;
  const choices = question.choices ?? [];
  switch (question.type) {
    case "text":
      // A secret is typed unseen, and its default is not shown.
      if (question.secret) return { type: "password", message: question.message, validate };
      return { type: "text", message: question.message, initial: (question.default as string | undefined) ?? "", validate };
    case "number":
      return {
        type: "number",
        message: question.message,
        float: true,
        ...(question.default === undefined ? {} : { initial: question.default as number }),
        validate,
      };
    case "confirm":
      return { type: "confirm", message: question.message, initial: (question.default as boolean | undefined) ?? false };
    case "select":
      return {
        type: "select",
        message: question.message,
        choices: choices.map((choice) => ({ title: choice.title, value: choice.value })),
        initial: Math.max(
          0,
          choices.findIndex((choice) => choice.value === question.default),
        ),
      };
    case "multiselect": {
      const selected = (question.default as string[] | undefined) ?? [];
      return {
        type: "multiselect",
        message: question.message,
        choices: choices.map((choice) => ({ title: choice.title, value: choice.value, selected: selected.includes(choice.value) })),
        instructions: false,
      };
    }
  }
}
