/**
 * Flags -> answers, in the order of the CLI contract: flag, then the team's config, then a prompt (only
 * when an Asker is given, i.e. on a TTY without --yes), then the documented default.
 */
import { DEFAULT_DIRECTORY, DEFAULTS, parsePackageManager, type Answers, type PackageManager } from "./answers.js";
import { UsageError } from "./errors.js";
import { assertValidPackageName, packageNameProblem, resolveLocation, suggestPackageName } from "./names.js";
import { assertFieldNames, optionFieldsProblem, optionSpecProblem, parseOptionSpec, parseOptionSpecs, type OptionField } from "./option-fields.js";
import { detectPackageManager } from "./package-manager.js";
import type { Asker } from "./prompts.js";
import { DEFAULT_SCHEMA, parseSchema } from "./schemas.js";
import { DEFAULT_TARGET, hookNames, parseTarget } from "./targets.js";

/** What the command line said; every field optional. */
export interface AnswerFlags {
  directory?: string;
  name?: string;
  target?: string;
  schema?: string;
  description?: string;
  option?: string[];
  pm?: string;
  install?: boolean;
  git?: boolean;
}

export interface ResolveContext {
  cwd: string;
  /** Team defaults (config file); flags win over these. */
  config?: AnswerFlags;
  /** Present only when questions may be asked. */
  asker?: Asker;
  /** npm_config_user_agent, to find the package manager that launched us. */
  userAgent?: string;
  /** Told about choices made for the user, such as a package-manager fallback. */
  notice?: (message: string) => void;
}

function resolvePackageManager(flag: string | undefined, context: ResolveContext): PackageManager {
  if (flag !== undefined) return parsePackageManager(flag);
  const detected = detectPackageManager(context.userAgent);
  if (detected) return detected;
  const launcher = context.userAgent?.split("/")[0];
  if (launcher) context.notice?.(`Unknown package manager "${launcher}" launched create-middleware; using npm (choose with --pm).`);
  return "npm";
}

export async function resolveAnswers(flags: AnswerFlags, context: ResolveContext): Promise<Answers> {
  const config = context.config ?? {};
  const { asker } = context;

  // Validate every flag before asking anything: a typo should not cost the user a round of questions.
  const flagTarget = flags.target !== undefined ? parseTarget(flags.target) : undefined;
  const flagSchema = flags.schema !== undefined ? parseSchema(flags.schema) : undefined;
  const flagFields = flags.option !== undefined && flags.option.length > 0 ? flags.option.map(parseOptionSpec) : undefined;
  const packageManager = resolvePackageManager(flags.pm ?? config.pm, context);

  // "" would resolve to the current folder and, with --force, write into it: never what was meant.
  if (flags.directory !== undefined && flags.directory.trim() === "") {
    throw new UsageError('The directory argument is empty. Name a new folder (for example my-middleware), or "." for the current one.');
  }
  const directoryArgument = flags.directory ?? (asker ? await asker.directory(DEFAULT_DIRECTORY) : DEFAULT_DIRECTORY);
  let { directory, packageName } = resolveLocation(directoryArgument, flags.name, context.cwd);
  if (packageNameProblem(packageName) !== undefined) {
    if (asker && flags.name === undefined) {
      packageName = await asker.packageName(suggestPackageName(packageName), packageNameProblem);
    }
    assertValidPackageName(packageName);
  }

  const target =
    flagTarget ?? (config.target !== undefined ? parseTarget(config.target) : asker ? await asker.target() : DEFAULT_TARGET);
  const schema =
    flagSchema ?? (config.schema !== undefined ? parseSchema(config.schema) : asker ? await asker.schema() : DEFAULT_SCHEMA);
  const description = flags.description ?? config.description ?? (asker ? await asker.description() : "");

  const builtIns = hookNames(target);
  let fields: OptionField[] | undefined = flagFields;
  if (fields === undefined && config.option !== undefined && config.option.length > 0) fields = parseOptionSpecs(config.option);
  if (fields === undefined && asker) {
    const asked = await asker.optionFields(
      (spec, sofar) => optionSpecProblem(spec) ?? optionFieldsProblem([...sofar, parseOptionSpec(spec)], builtIns),
    );
    fields = asked.length > 0 ? asked : undefined;
  }
  if (fields) assertFieldNames(fields, builtIns);

  const install = flags.install ?? config.install ?? (asker ? await asker.install() : DEFAULTS.install);
  const git = flags.git ?? config.git ?? (asker ? await asker.git() : DEFAULTS.git);

  if (description.length > 500) throw new UsageError("The description is longer than 500 characters; keep it to a sentence or two.");
  return { directory, packageName, target, schema, description, fields, packageManager, install, git };
}
