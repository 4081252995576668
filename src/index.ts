/**
 * create-middleware as a library: the resolver (flags, an answers file, the team config and a team pack ->
 * the answers a package is made from) and the operation that makes the package, with the types they take
 * and give. Everything else is the CLI's own and may change between versions.
 */
export { resolveCreate } from "./answers/resolver.js";
export type { CreateInputFlags, ResolveCreateContext, ResolvedCreate } from "./answers/resolver.js";
export type { AnswerSource } from "./answers/resolve-answers.js";
export { createMiddlewarePackage } from "./create.js";
export type { CreateListener, CreateOptions, CreateResult, PackagePlan, PlanOptions } from "./create.js";
export type { Answers, PackageManager } from "./answers/answers.js";
export type { LoadedPack } from "./packs/pack.js";
export type { Environment } from "./render/template-data.js";
export type { Target } from "./tables/targets.js";
export type { Schema } from "./tables/schemas.js";
export type { InstallReport } from "./system/install.js";
export type { GitReport } from "./system/git.js";
export type { Workspace } from "./workspace/detect.js";
export type { MemberPlan } from "./workspace/member-plan.js";
export { UsageError, FailedError, CancelledError } from "./errors.js";
