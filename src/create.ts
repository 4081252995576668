/**
 * The library's main operation: answers -> a package on disk. Plan everything in memory first, then write
 * (so a template that fails to render leaves the disk untouched). The CLI is a thin layer over this.
 */
import type { Answers } from "./answers.js";
import { readEnvironment } from "./environment.js";
import { pauseForTest } from "./interrupt.js";
import { initGitRepository, type GitReport } from "./git.js";
import { installDependencies, type InstallReport } from "./install.js";
import { formatCommand, packageManagerCommands } from "./package-manager.js";
import { renderPlan, type PlannedFile } from "./plan.js";
import { templateData, type Environment, type TemplateData } from "./template-data.js";
import { templatePackLayers } from "./template-pack.js";
import { builtinLayers, loadTemplateSet, type TemplateLayer } from "./template-source.js";
import { assertWritable, writePackage } from "./write.js";
import { decideWrite, readTargetState, type WriteDecision } from "./write-actions.js";

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

export function templateLayers(answers: Pick<Answers, "target" | "schema">, template: string | undefined, cwd: string): TemplateLayer[] {
  const layers = builtinLayers(answers.target, answers.schema);
  return template === undefined ? layers : [...templatePackLayers(template, cwd, answers.target, answers.schema), ...layers];
}

/** Renders every file of the package in memory. Writes nothing. */
export async function planMiddlewarePackage(answers: Answers, options: PlanOptions = {}): Promise<PackagePlan> {
  const cwd = options.cwd ?? process.cwd();
  const environment = options.environment ?? (await readEnvironment(cwd));
  const templates = loadTemplateSet(templateLayers(answers, options.template, cwd));
  const data = templateData(answers, environment);
  return { answers, data, files: await renderPlan(templates, data) };
}

export interface CreateOptions extends PlanOptions {
  answers: Answers;
  /** Write into a non-empty directory (only the package's files; nothing deleted). */
  force?: boolean;
  /** Plan only; write nothing. */
  dryRun?: boolean;
  /** Told as the steps happen, so a CLI can show progress. */
  listener?: CreateListener;
  /** Aborting stops a running install or git command. */
  signal?: AbortSignal;
}

/** Callbacks for the steps after planning; all optional. */
export interface CreateListener {
  /** The files are on disk. */
  written?(result: { plan: PackagePlan; overwritten: string[]; identical: string[] }): void;
  /** The install is about to run `command` ("npm install"). */
  installStart?(command: string): void;
  installEnd?(report: InstallReport): void;
  gitStart?(): void;
  gitEnd?(report: GitReport): void;
}

export interface CreateResult {
  plan: PackagePlan;
  dryRun: boolean;
  /** Files that existed and were replaced (only with force). */
  overwritten: string[];
  /**
   * What the write does (or, in a dry run, would do) per file: create / identical / replace, and the
   * refusal the real run makes for a non-empty directory without force. A dry run reports a refusal here
   * instead of throwing, so the caller can show the plan and then fail as the real run would.
   */
  decision: WriteDecision;
  /**
   * The dependency install, when `answers.install` asked for one. It does not throw when the install fails:
   * check `install.ok` (the files stay either way).
   */
  install: InstallReport | undefined;
  /** The git step, when `answers.git` asked for it. Git problems never fail the run; see `git.note`. */
  git: GitReport | undefined;
}

/**
 * Plans, writes, then (as the answers ask) installs dependencies and creates a git repository with an
 * initial commit. Git runs even when the install failed, so the files are tracked either way.
 */
export async function createMiddlewarePackage(options: CreateOptions): Promise<CreateResult> {
  const { answers, listener } = options;
  const plan = await planMiddlewarePackage(answers, options);
  const force = options.force ?? false;
  if (options.dryRun) {
    const decision = decideWrite(plan.files, readTargetState(answers.directory, plan.files), { force });
    // The same checks the real write makes before touching anything (a link leading out, a folder in the way).
    if (!decision.refusal) assertWritable(answers.directory, plan.files);
    const overwritten = decision.refusal ? [] : decision.actions.filter((entry) => entry.action === "replace").map((entry) => entry.path);
    return { plan, dryRun: true, overwritten, decision, install: undefined, git: undefined };
  }
  const written = await writePackage(answers.directory, plan.files, { force });
  const replaced = new Set(written.overwritten);
  const identical = new Set(written.identical);
  const decision: WriteDecision = {
    actions: plan.files.map((file) => ({
      path: file.path,
      action: replaced.has(file.path) ? "replace" : identical.has(file.path) ? "identical" : "create",
    })),
    refusal: undefined,
  };
  listener?.written?.({ plan, overwritten: written.overwritten, identical: written.identical });
  await pauseForTest("written");
  const signal = options.signal ? { signal: options.signal } : {};

  let install: InstallReport | undefined;
  if (answers.install) {
    listener?.installStart?.(formatCommand(packageManagerCommands(answers.packageManager).install));
    install = await installDependencies(answers.directory, answers.packageManager, signal);
    listener?.installEnd?.(install);
  }

  let git: GitReport | undefined;
  if (answers.git && !options.signal?.aborted) {
    listener?.gitStart?.();
    git = await initGitRepository(answers.directory, { files: written.written, ...signal });
    listener?.gitEnd?.(git);
  }
  return { plan, dryRun: false, overwritten: written.overwritten, decision, install, git };
}
