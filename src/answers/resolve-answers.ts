/**
 * Flags -> answers, in the order of the CLI contract: flag, then the `--answers` file (a package's
 * .create-middleware.json being replayed), then the team's config, then a prompt (only when an Asker is
 * given, i.e. on a TTY without --yes), then the documented default. `resolveAnswersWithSources` also says
 * which of these gave each answer (for --json). A pack's own questions are answered by packs/questions.ts.
 */
import path from "node:path";
import type { RecordedAnswers } from "./answers-file.js";
import { DEFAULT_DIRECTORY, DEFAULTS, parsePackageManager, type Answers, type PackageManager } from "./answers.js";
import { UsageError } from "../errors.js";
import { assertValidPackageName, directoryProblem, packageNameProblem, resolveLocation, suggestPackageName } from "./names.js";
import { assertFieldNames, optionFieldsProblem, optionSpecProblem, parseOptionSpec, parseOptionSpecs, type OptionField } from "./option-fields.js";
import { detectPackageManager } from "../system/package-manager.js";
import type { Asker } from "./prompts.js";
import { gitRemoteRepository, parseRepository } from "../system/repository.js";
import { DEFAULT_SCHEMA, parseSchema } from "../tables/schemas.js";
import { defaultStarter, hookNames, parseStarter, parseStarterName, type PackStarters } from "../tables/starters.js";
import { effectiveFields } from "../render/template-data.js";
import { descriptionProblem } from "./text-rules.js";
import { nonEmptyDirectoryProblem } from "../write/write.js";
import { DEFAULT_TARGET, parseTarget } from "../tables/targets.js";

/** What the command line said; every field optional. */
export interface AnswerFlags {
  directory?: string;
  name?: string;
  target?: string;
  schema?: string;
  starter?: string;
  description?: string;
  repo?: string;
  option?: string[];
  pm?: string;
  install?: boolean;
  git?: boolean;
  /** --update-workflow / --no-update-workflow. */
  updateWorkflow?: boolean;
}

/** Where an answer came from. "detected": the package manager that launched the CLI, or the git remote. */
export type AnswerSource = "flag" | "answers" | "config" | "prompt" | "default" | "detected";

/** The team config's tier: the answer fields, plus the scope given to unscoped package names. */
interface ConfigAnswers extends Omit<AnswerFlags, "directory"> {
  /** "@acme": `my-logger` becomes `@acme/my-logger` unless --name says otherwise. */
  scope?: string;
}

/**
 * The `--answers` file's tier: the answers .create-middleware.json records that replay like flags. A null
 * starter (a file written before starters) means the target's default; null options, the starter's fields.
 */
type ReplayedAnswers = Pick<
  RecordedAnswers,
  "packageName" | "target" | "schema" | "starter" | "description" | "options" | "repository" | "updateWorkflow"
>;

export interface ResolveContext {
  cwd: string;
  /** Team defaults (config file); flags and the answers file win over these. */
  config?: ConfigAnswers;
  /** A replayed answers file; flags win over it. */
  replay?: ReplayedAnswers;
  /** Present only when questions may be asked. */
  asker?: Asker;
  /** npm_config_user_agent, to find the package manager that launched us. */
  userAgent?: string;
  /** Told about choices made for the user, such as a package-manager fallback. */
  notice?: (message: string) => void;
  /** --force: a non-empty directory is acceptable (else the directory prompt refuses one at once). */
  force?: boolean;
  /** The team pack's own starters (its starters/<target>/<name>/ folders), offered beside the built-in ones. */
  packStarters?: PackStarters;
  /** A team pack is in use: the template-update workflow is then on unless a flag or the answers file says no. */
  packInUse?: boolean;
  /**
   * `update -i`: with an asker, target, starter and schema are asked again (a flag still answers without a
   * question), the replayed answer preselected; without it a replayed answer is taken as it is.
   */
  reask?: boolean;
}

function resolvePackageManager(flag: string | undefined, config: string | undefined, context: ResolveContext): [PackageManager, AnswerSource] {
  if (flag !== undefined) return [parsePackageManager(flag), "flag"];
  if (config !== undefined) return [parsePackageManager(config), "config"];
  const detected = detectPackageManager(context.userAgent);
  if (detected) return [detected, "detected"];
  const launcher = context.userAgent?.split("/")[0];
  if (launcher) context.notice?.(`Unknown package manager "${launcher}" launched create-middleware; using npm (choose with --pm).`);
  return ["npm", "default"];
}

export interface ResolvedAnswers {
  answers: Answers;
  /** Which tier gave each answer: packageName, directory, target, starter, schema, description, fields, packageManager, install, git. */
  sources: Record<string, AnswerSource>;
}

/** The first tier that has a value, and its name; `ask` and `fallback` only when none has. */
async function pick<T>(
  tiers: ReadonlyArray<readonly [AnswerSource, T | undefined]>,
  ask: (() => Promise<T>) | undefined,
  fallback: T,
): Promise<[T, AnswerSource]> {
  for (const [source, value] of tiers) if (value !== undefined) return [value, source];
  return ask ? [await ask(), "prompt"] : [fallback, "default"];
}

/**
 * The repository: flag, answers file (null there: none), config, then the prompt, which offers the git
 * remote of the folder the package goes in; without a prompt that remote is taken ("detected"), and said.
 */
async function resolveRepository(flag: string | undefined, directory: string, context: ResolveContext): Promise<[string | undefined, AnswerSource]> {
  if (flag !== undefined) return [flag, "flag"];
  const replayed = context.replay?.repository;
  if (replayed !== undefined) return [replayed === null ? undefined : parseRepository(replayed), "answers"];
  if (context.config?.repo !== undefined) return [parseRepository(context.config.repo), "config"];
  const remote = gitRemoteRepository(path.dirname(directory));
  const { asker } = context;
  if (asker?.repository) {
    const answer = await asker.repository(remote ?? "");
    return [answer === "" ? undefined : parseRepository(answer), "prompt"];
  }
  if (remote === undefined) return [undefined, "default"];
  context.notice?.(`Repository: ${remote}, the git remote here (choose another with --repo).`);
  return [remote, "detected"];
}

export async function resolveAnswers(flags: AnswerFlags, context: ResolveContext): Promise<Answers> {
  return (await resolveAnswersWithSources(flags, context)).answers;
}

export async function resolveAnswersWithSources(flags: AnswerFlags, context: ResolveContext): Promise<ResolvedAnswers> {
  const config = context.config ?? {};
  const replay = context.replay;
  const { asker } = context;
  const sources: Record<string, AnswerSource> = {};

  // Validate every flag before asking anything: a typo should not cost the user a round of questions.
  const flagTarget = flags.target !== undefined ? parseTarget(flags.target) : undefined;
  const flagSchema = flags.schema !== undefined ? parseSchema(flags.schema) : undefined;
  const flagRepository = flags.repo !== undefined ? parseRepository(flags.repo) : undefined;
  // Whether the target has the starter is known once the target is; a starter no target has is refused now.
  if (flags.starter !== undefined) {
    if (flagTarget !== undefined) parseStarter(flags.starter, flagTarget, context.packStarters);
    else parseStarterName(flags.starter, config.target !== undefined ? parseTarget(config.target) : DEFAULT_TARGET, context.packStarters);
  }
  const flagFields = flags.option !== undefined && flags.option.length > 0 ? flags.option.map(parseOptionSpec) : undefined;
  const [packageManager, pmSource] = resolvePackageManager(flags.pm, config.pm, context);
  sources.packageManager = pmSource;

  // "" would resolve to the current folder and, with --force, write into it; `@a/b/c` is no scoped name; a
  // control character in a folder name is never meant. Free text is checked before any question too.
  const flagDirectoryProblem = flags.directory === undefined ? undefined : directoryProblem(flags.directory);
  if (flagDirectoryProblem !== undefined) throw new UsageError(flagDirectoryProblem);
  const flagDescriptionProblem = flags.description === undefined ? undefined : descriptionProblem(flags.description);
  if (flagDescriptionProblem !== undefined) throw new UsageError(flagDescriptionProblem);
  if (flags.name !== undefined) assertValidPackageName(flags.name);
  // A replay goes where the package's name says (./my-logger for @acme/my-logger) unless a directory is given.
  const [directoryArgument, directorySource] = await pick(
    [
      ["flag", flags.directory],
      ["answers", replay?.packageName.replace(/^@[^/]+\//, "")],
    ],
    // Each answer is checked at its prompt (a non-empty folder too, unless --force), not after every question.
    asker
      ? () =>
          asker.directory(
            DEFAULT_DIRECTORY,
            (value) => directoryProblem(value) ?? (context.force ? undefined : nonEmptyDirectoryProblem(path.resolve(context.cwd, value))),
          )
      : undefined,
    DEFAULT_DIRECTORY,
  );
  sources.directory = directorySource;
  const nameGiven = flags.name ?? replay?.packageName;
  let { directory, packageName } = resolveLocation(directoryArgument, nameGiven, context.cwd);
  sources.packageName = flags.name !== undefined ? "flag" : replay ? "answers" : directorySource;
  if (nameGiven === undefined && config.scope !== undefined && !packageName.startsWith("@")) {
    packageName = `${config.scope}/${packageName}`;
    sources.packageName = "config";
  }
  if (packageNameProblem(packageName) !== undefined) {
    if (asker && nameGiven === undefined) {
      packageName = await asker.packageName(suggestPackageName(packageName), packageNameProblem);
      sources.packageName = "prompt";
    }
    assertValidPackageName(packageName);
  }

  // update -i: the answers and config tiers become what the question preselects.
  const reask = context.reask ? asker : undefined;
  const replayTarget = replay ? parseTarget(replay.target) : undefined;
  const configTarget = config.target !== undefined ? parseTarget(config.target) : undefined;
  const [target, targetSource] = await pick(
    [
      ["flag", flagTarget],
      ...(reask
        ? []
        : ([
            ["answers", replayTarget],
            ["config", configTarget],
          ] as const)),
    ],
    asker ? () => asker.target(reask ? (replayTarget ?? configTarget) : undefined) : undefined,
    DEFAULT_TARGET,
  );
  // Whichever tier gives the starter, it is checked against the target: a usage error lists the valid ones.
  const [starterValue, starterSource] = await pick<string>(
    [
      ["flag", flags.starter],
      ...(reask
        ? []
        : ([
            ["answers", replay?.starter ?? undefined],
            ["config", config.starter],
          ] as const)),
    ],
    asker ? () => asker.starter(target, context.packStarters, reask ? (replay?.starter ?? config.starter) : undefined) : undefined,
    defaultStarter(target),
  );
  const starter = parseStarter(starterValue, target, context.packStarters);
  const replaySchema = replay ? parseSchema(replay.schema) : undefined;
  const configSchema = config.schema !== undefined ? parseSchema(config.schema) : undefined;
  const [schema, schemaSource] = await pick(
    [
      ["flag", flagSchema],
      ...(reask
        ? []
        : ([
            ["answers", replaySchema],
            ["config", configSchema],
          ] as const)),
    ],
    asker ? () => asker.schema(reask ? (replaySchema ?? configSchema) : undefined) : undefined,
    DEFAULT_SCHEMA,
  );
  const [description, descriptionSource] = await pick(
    [
      ["flag", flags.description],
      ["answers", replay?.description],
      ["config", config.description],
    ],
    asker ? () => asker.description(descriptionProblem) : undefined,
    "",
  );
  Object.assign(sources, { target: targetSource, starter: starterSource, schema: schemaSource, description: descriptionSource });
  const [repository, repositorySource] = await resolveRepository(flagRepository, directory, context);
  sources.repository = repositorySource;

  const builtIns = hookNames(target, starter);
  // undefined: the starter set. A replayed file with "options": null means exactly that, and asks nothing.
  const replayFields = replay === undefined ? undefined : replay.options === null ? null : parseOptionSpecs(replay.options);
  const configFields = config.option !== undefined && config.option.length > 0 ? parseOptionSpecs(config.option) : undefined;
  const [chosenFields, fieldsSource] = await pick<OptionField[] | null>(
    [
      ["flag", flagFields],
      ["answers", replayFields],
      ["config", configFields],
    ],
    asker
      ? async () => {
          const asked = await asker.optionFields(
            (spec, sofar) => optionSpecProblem(spec) ?? optionFieldsProblem([...sofar, parseOptionSpec(spec)], builtIns),
            effectiveFields({ fields: undefined, target, starter, packageName }),
          );
          return asked.length > 0 ? asked : null;
        }
      : undefined,
    null,
  );
  const fields = chosenFields ?? undefined;
  sources.fields = fieldsSource;
  if (fields) assertFieldNames(fields, builtIns);

  const [install, installSource] = await pick(
    [
      ["flag", flags.install],
      ["config", config.install],
    ],
    asker ? () => asker.install() : undefined,
    DEFAULTS.install,
  );
  const [git, gitSource] = await pick(
    [
      ["flag", flags.git],
      ["config", config.git],
    ],
    asker ? () => asker.git() : undefined,
    DEFAULTS.git,
  );
  Object.assign(sources, { install: installSource, git: gitSource });
  // No prompt: a pack's packages want it (that is what a team pack is for), a one-off package rarely does;
  // a team that wants otherwise says so once, in its config.
  const [updateWorkflow, updateWorkflowSource] = await pick(
    [
      ["flag", flags.updateWorkflow],
      ["answers", replay ? (replay.updateWorkflow ?? false) : undefined],
      ["config", config.updateWorkflow],
    ],
    undefined,
    context.packInUse ?? false,
  );
  sources.updateWorkflow = updateWorkflowSource;

  // Whichever tier gave it (config, answers file, prompt), the description follows the same rules.
  const problem = descriptionProblem(description);
  if (problem !== undefined) throw new UsageError(problem);
  const answers: Answers = { directory, packageName, target, schema, starter, description, fields, packageManager, install, git };
  if (repository !== undefined) answers.repository = repository;
  if (updateWorkflow) answers.updateWorkflow = true;
  return { answers, sources };
}
