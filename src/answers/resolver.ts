/**
 * The resolver: the one place that turns what a caller gives (flags, an `--answers` file, the team config,
 * a pack source, answers to the pack's questions) into what a render needs: answers, the loaded pack, the
 * pack's answers, author/year/license. `create`, `update` (update/both-renders.ts replays the answers file
 * through `resolveCreate`), `check` and the library all come through here, so a pack is loaded one way
 * (`loadTemplatePack`), whether it supports the target, schema and starter is checked one way
 * (`assertAnswersFitPack`), and its questions are answered one way (`answerPackQuestions`).
 *
 * `resolveCreate` reads the team config (team-config.ts) and an `--answers` file (answers-file.ts), loads the
 * team pack from the first tier that names one (flag, answers file, config), resolves the answers
 * (resolve-answers.ts), then the pack's own questions (packs/questions.ts), and the author, year and
 * license. Each answer comes with where it came from, for --json. `resolveTemplate` is the same for a caller
 * that already has its answers (the library's `createMiddlewarePackage`, each combination of `check`).
 * create.ts plans from either's result as it is (`planResolved`), so nothing is checked twice. Nothing here
 * prints.
 */
import path from "node:path";
import { readAnswersFile, type AnswersFile } from "./answers-file.js";
import type { Answers } from "./answers.js";
import { readEnvironment } from "../system/environment.js";
import { CLI_VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { gitUserName } from "../system/environment.js";
import { assertPackSupports, type LoadedPack } from "../packs/pack.js";
import type { VarValue } from "../packs/manifest.js";
import { parseVarFlags, resolvePackVars, type ResolvedVars, type VarSource, type VarTiers } from "../packs/questions.js";
import type { Asker } from "./prompts.js";
import { resolveAnswersWithSources, type AnswerFlags, type AnswerSource } from "./resolve-answers.js";
import { isBuiltInStarter, packStarters, parseStarter, type PackStarters } from "../tables/starters.js";
import { SCHEMAS } from "../tables/schemas.js";
import { TARGETS } from "../tables/targets.js";
import { loadTeamConfig, type TeamConfig } from "./team-config.js";
import type { Environment } from "../render/template-data.js";

export interface CreateInputFlags extends AnswerFlags {
  /** A pack source (docs/packs.md). */
  template?: string;
  /** `key=value` answers to the pack's questions. */
  var?: string[];
  /** A JSON file of answers to the pack's questions (vars-file.ts); --var wins over it. */
  varsFile?: string;
  /** A .create-middleware.json to replay. */
  answers?: string;
  /** Use the pack cache only. */
  offline?: boolean;
}

export interface ResolvedCreate {
  answers: Answers;
  pack: LoadedPack | undefined;
  vars: Record<string, VarValue | null>;
  environment: Required<Environment>;
  /** Where each answer came from: the answers' fields, template, author ("git": git's user.name), year, license. */
  sources: Record<string, AnswerSource | "git">;
  /** Where each of the pack's answers came from ("skipped": its `when` was false). */
  varSources: Record<string, VarSource>;
  config: TeamConfig;
  replayed: AnswersFile | undefined;
}

export interface ResolveCreateContext {
  cwd: string;
  asker?: Asker;
  userAgent?: string;
  env?: NodeJS.ProcessEnv;
  /** The pack cache folder (tests); defaults to the user's cache directory. */
  cacheRoot?: string;
  notice?: (message: string) => void;
  /** The year when no answers file gives one (tests); defaults to the clock. */
  year?: number;
  /** --force: the directory prompt accepts a non-empty folder. */
  force?: boolean;
  /** The scope an unscoped name takes when the team config names none (a monorepo's: workspace/placement.ts). */
  defaultScope?: string | undefined;
  /** `update -i`: ask target, starter, schema and the pack's questions again, the recorded answers preselected. */
  reask?: boolean;
}

export async function resolveCreate(flags: CreateInputFlags, context: ResolveCreateContext): Promise<ResolvedCreate> {
  const { cwd } = context;
  const env = context.env ?? process.env;
  const config = loadTeamConfig(cwd, env);
  const replay = flags.answers === undefined ? undefined : readAnswersFile(flags.answers, cwd);
  const recorded = replay?.answers;
  const varFlags = {
    ...(flags.varsFile !== undefined ? (await import("./vars-file.js")).readVarsFile(flags.varsFile, cwd) : {}),
    ...parseVarFlags(flags.var ?? []),
  };

  // The pack: flag, then the answers file (relative to that file, pinned to what it resolved to; its null
  // means the built-in templates, and a team config's pack must not replace them), then config.
  const templateTier: [string, string, AnswerSource, string | undefined] | undefined =
    flags.template !== undefined
      ? [flags.template, cwd, "flag", undefined]
      : recorded
        ? recorded.template
          ? [recorded.template.source, path.dirname(replay!.file), "answers", recorded.template.resolved]
          : undefined
        : config.template !== undefined
          ? [config.template, config.templateBase ?? cwd, "config", undefined]
          : undefined;
  const loaded = templateTier
    ? await loadTemplatePack(templateTier[0], {
        base: templateTier[1],
        offline: flags.offline ?? false,
        ...(context.cacheRoot ? { cacheRoot: context.cacheRoot } : {}),
        pin: templateTier[3],
        ...(context.notice ? { notice: context.notice } : {}),
      })
    : undefined;
  // A replay records the pack source exactly as the answers file did (pack.ts, replayedSource).
  const pack = loaded && templateTier?.[2] === "answers" ? { ...loaded, replayedSource: templateTier[0] } : loaded;

  const { answers, sources } = await resolveAnswersWithSources(flags, {
    cwd,
    ...(pack ? { packStarters: packStartersOf(pack), packInUse: true } : {}),
    config: {
      ...(config.scope !== undefined ? { scope: config.scope } : context.defaultScope !== undefined ? { scope: context.defaultScope } : {}),
      ...(config.pm !== undefined ? { pm: config.pm } : {}),
      ...(config.target !== undefined ? { target: config.target } : {}),
      ...(config.schema !== undefined ? { schema: config.schema } : {}),
      ...(config.starter !== undefined ? { starter: config.starter } : {}),
      ...(config.updateWorkflow !== undefined ? { updateWorkflow: config.updateWorkflow } : {}),
    },
    ...(recorded
      ? {
          replay: {
            packageName: recorded.answers.packageName,
            target: recorded.answers.target,
            schema: recorded.answers.schema,
            starter: recorded.answers.starter,
            description: recorded.answers.description,
            options: recorded.answers.options,
            repository: recorded.answers.repository ?? null,
            updateWorkflow: recorded.answers.updateWorkflow ?? false,
          },
        }
      : {}),
    ...(context.asker ? { asker: context.asker } : {}),
    ...(context.userAgent !== undefined ? { userAgent: context.userAgent } : {}),
    ...(context.notice ? { notice: context.notice } : {}),
    ...(context.force !== undefined ? { force: context.force } : {}),
    ...(context.reask ? { reask: true } : {}),
  });
  assertAnswersFitPack(answers, pack);

  const { starter } = answers;
  // Without a pack there is nothing to answer: config vars belong to a pack, and --var has no question.
  if (!pack && Object.keys(varFlags).length > 0) {
    throw new UsageError(`--var answers a team pack's questions, and no pack is in use: add --template <source> (or "template" in the team config).`);
  }
  const resolvedVars = !pack
    ? { vars: {}, sources: {} }
    : await answerPackQuestions(pack, {
        flags: varFlags,
        ...(recorded ? { answers: recorded.answers.vars } : {}),
        ...(config.vars ? { config: config.vars } : {}),
        ...(context.asker ? { ask: (question, problem) => context.asker!.packQuestion(question, problem) } : {}),
        ...(context.reask ? { reask: true } : {}),
        facts: { target: answers.target, schema: answers.schema, starter },
      });

  const recordedAnswers = recorded?.answers;
  let author: string;
  let authorSource: AnswerSource | "git";
  if (recordedAnswers) [author, authorSource] = [recordedAnswers.author, "answers"];
  else if (config.author !== undefined) [author, authorSource] = [config.author, "config"];
  else [author, authorSource] = [await gitUserName(cwd, env), "git"];
  const year = recordedAnswers?.year ?? context.year ?? new Date().getFullYear();
  const license = recordedAnswers?.license ?? config.license ?? "MIT";

  return {
    answers,
    pack,
    vars: resolvedVars.vars,
    environment: { author, year, license },
    sources: {
      ...sources,
      template: templateTier ? templateTier[2] : recorded ? "answers" : "default",
      author: authorSource,
      year: recordedAnswers ? "answers" : "default",
      license: recordedAnswers ? "answers" : config.license !== undefined ? "config" : "default",
    },
    varSources: resolvedVars.sources,
    config,
    replayed: recorded,
  };
}

/** The one way a pack source becomes a loaded pack: fetched (or from the cache), read, checked against this CLI's tables. */
export async function loadTemplatePack(
  source: string,
  options: { base: string; offline: boolean; cacheRoot?: string; pin?: string | undefined; notice?: (message: string) => void },
): Promise<LoadedPack> {
  // Hashing, tar and the fetchers load only when a pack is used: a plain scaffold stays as fast as it was.
  const { loadPack } = await import("../packs/load-pack.js");
  return loadPack(source, {
    base: options.base,
    offline: options.offline,
    ...(options.cacheRoot ? { cacheRoot: options.cacheRoot } : {}),
    cliVersion: CLI_VERSION,
    targets: TARGETS,
    schemas: SCHEMAS,
    pin: options.pin,
    ...(options.notice ? { notice: options.notice } : {}),
  });
}

/** The pack's own starters (its starters/<target>/<name>/ folders), offered and accepted beside the built-in ones. */
export function packStartersOf(pack: LoadedPack): PackStarters {
  return packStarters(pack.tree.files.keys());
}

/**
 * What the answers ask of the templates, checked: the pack (when there is one) supports the target and the
 * schema, and a starter the table does not have is the pack's own for this target (a usage error listing
 * the valid ones otherwise).
 */
function assertAnswersFitPack(answers: Pick<Answers, "target" | "schema" | "starter">, pack: LoadedPack | undefined): void {
  if (pack) assertPackSupports(pack, answers.target, answers.schema);
  const { starter, target } = answers;
  if (isBuiltInStarter(starter)) return;
  const own = pack ? packStartersOf(pack) : undefined;
  if (!own?.[target]?.includes(starter)) parseStarter(starter, target, own);
}

/** The pack's questions answered from the tiers given (packs/questions.ts); nothing to answer without a pack. */
export function answerPackQuestions(pack: LoadedPack | undefined, tiers: VarTiers): Promise<ResolvedVars> {
  return resolvePackVars(pack?.manifest?.questions, tiers);
}

/** What the library and `check` give beside their answers: any pack source or a loaded pack, and answers to its questions. */
export interface TemplateInput {
  /** A pack source (a folder, a .tgz, an npm spec, a git repository; docs/packs.md), or a pack already loaded. */
  template?: string | LoadedPack | undefined;
  /** Answers to the pack's questions; unanswered questions take their defaults. */
  vars?: Record<string, unknown>;
  /** Author, year and license; author from git and the year from the clock when absent. */
  environment?: Environment;
  /** Resolves a relative template path; defaults to process.cwd(). */
  cwd?: string;
  /** Fetch nothing: a remote pack must be in the cache. */
  offline?: boolean;
}

export interface ResolvedTemplate {
  pack: LoadedPack | undefined;
  vars: Record<string, VarValue | null>;
  environment: Environment;
}

/**
 * For a caller that already has its answers: the pack loaded (when a source is given), the answers checked
 * against it (`assertAnswersFitPack`), its questions answered from `vars` and their defaults, and the
 * environment read when not given.
 */
export async function resolveTemplate(answers: Pick<Answers, "target" | "schema" | "starter">, input: TemplateInput): Promise<ResolvedTemplate> {
  const cwd = input.cwd ?? process.cwd();
  const { template } = input;
  const pack = typeof template === "string" ? await loadTemplatePack(template, { base: cwd, offline: input.offline ?? false }) : template;
  assertAnswersFitPack(answers, pack);
  const environment = input.environment ?? (await readEnvironment(cwd));
  const { vars } = await answerPackQuestions(pack, {
    answers: input.vars ?? {},
    facts: { target: answers.target, schema: answers.schema, starter: answers.starter },
  });
  return { pack, vars, environment };
}
