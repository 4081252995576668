/**
 * The library's main operation: answers -> a package on disk. Plan everything in memory first, then write
 * (DESIGN.md §4). The CLI is a thin layer over this.
 */
import type { Answers } from "./answers.js";
import { readEnvironment } from "./environment.js";
import { renderPlan, type PlannedFile } from "./plan.js";
import { templateData, type Environment, type TemplateData } from "./template-data.js";
import { templatePackLayers } from "./template-pack.js";
import { builtinLayers, loadTemplateSet, type TemplateLayer } from "./template-source.js";
import { writePackage } from "./write.js";

export interface PlanOptions {
  /** A team template pack folder, layered over the built-in templates. */
  template?: string | undefined;
  /** Author and year; read from git and the clock when absent. */
  environment?: Environment;
  /** Resolves a relative template path; defaults to process.cwd(). */
  cwd?: string;
}

export interface PackagePlan {
  answers: Answers;
  data: TemplateData;
  files: PlannedFile[];
}

export async function templateLayers(answers: Pick<Answers, "target" | "schema">, template: string | undefined, cwd: string): Promise<TemplateLayer[]> {
  const layers = builtinLayers(answers.target, answers.schema);
  return template === undefined ? layers : [...(await templatePackLayers(template, cwd, answers.target, answers.schema)), ...layers];
}

/** Renders every file of the package in memory. Writes nothing. */
export async function planMiddlewarePackage(answers: Answers, options: PlanOptions = {}): Promise<PackagePlan> {
  const cwd = options.cwd ?? process.cwd();
  const templates = await loadTemplateSet(await templateLayers(answers, options.template, cwd));
  const data = templateData(answers, options.environment ?? readEnvironment(cwd));
  return { answers, data, files: renderPlan(templates, data) };
}

export interface CreateOptions extends PlanOptions {
  answers: Answers;
  /** Write into a non-empty directory (only the package's files; nothing deleted). */
  force?: boolean;
  /** Plan only; write nothing. */
  dryRun?: boolean;
}

export interface CreateResult {
  plan: PackagePlan;
  dryRun: boolean;
  /** Files that existed and were replaced (only with force). */
  overwritten: string[];
}

export async function createMiddlewarePackage(options: CreateOptions): Promise<CreateResult> {
  const plan = await planMiddlewarePackage(options.answers, options);
  if (options.dryRun) return { plan, dryRun: true, overwritten: [] };
  const written = await writePackage(options.answers.directory, plan.files, { force: options.force ?? false });
  return { plan, dryRun: false, overwritten: written.overwritten };
}
