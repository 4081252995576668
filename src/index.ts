/**
 * create-middleware as a library: everything the CLI does, for programmatic use.
 */
export { createMiddlewarePackage, planMiddlewarePackage } from "./create.js";
export { findWorkspace } from "./workspace/detect.js";
export type { Workspace } from "./workspace/detect.js";
export type { MemberPlan } from "./workspace/plan.js";
export type { RootChange } from "./workspace/root-files.js";
export type { CreateListener, CreateOptions, CreateResult, PackagePlan, PlanOptions } from "./create.js";
export type { InstallReport } from "./system/install.js";
export type { GitReport } from "./system/git.js";
export { resolveAnswers, resolveAnswersWithSources } from "./answers/resolve-answers.js";
export type { AnswerFlags, AnswerSource, ResolveContext, ResolvedAnswers } from "./answers/resolve-answers.js";
export { resolveCreate } from "./answers/resolver.js";
export type { CreateInputFlags, ResolveCreateContext, ResolvedCreate } from "./answers/resolver.js";
export { loadPack } from "./packs/load-pack.js";
export type { LoadPackOptions } from "./packs/load-pack.js";
export type { LoadedPack } from "./packs/pack.js";
export type { PackManifest, PackQuestion, Condition } from "./packs/manifest.js";
export { loadTeamConfig } from "./answers/team-config.js";
export type { TeamConfig } from "./answers/team-config.js";
export { planUpdate, applyUpdate, MissingBaseError } from "./update/update.js";
export type { UpdateOptions, UpdatePlan, UpdateResult, BaseSource, TemplateChange } from "./update/update.js";
export type { FileUpdate, UpdateStatus } from "./update/classify.js";
export { checkOutdated } from "./update/outdated.js";
export type { OutdatedReport } from "./update/outdated.js";
export { readAnswersFile, formatAnswersFile, ANSWERS_FILE } from "./answers/answers-file.js";
export type { AnswersFile, RecordedAnswers } from "./answers/answers-file.js";
export { PACKAGE_MANAGERS } from "./answers/answers.js";
export type { Answers, PackageManager } from "./answers/answers.js";
export { TARGETS } from "./tables/targets.js";
export type { Target } from "./tables/targets.js";
export { SCHEMAS } from "./tables/schemas.js";
export type { Schema } from "./tables/schemas.js";
export { parseOptionSpec } from "./answers/option-fields.js";
export type { OptionField } from "./answers/option-fields.js";
export { UsageError, FailedError, CancelledError, EXIT } from "./errors.js";
export { packageManagerCommands, formatCommand } from "./system/package-manager.js";
