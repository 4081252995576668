/**
 * The library's main operation: answers -> a package on disk. Plan everything in memory first, then write
 * (so a template that fails to render leaves the disk untouched). The CLI is a thin layer over this.
 */
import type { Answers } from "./answers/answers.js";
import { pauseForTest } from "./system/interrupt.js";
import { initGitRepository, type GitReport } from "./system/git.js";
import type { Runner } from "./system/run-command.js";
import { installDependencies, type InstallReport } from "./system/install.js";
import { formatCommand, packageManagerCommands } from "./system/package-manager.js";
import { outputPath, renderPlan, type PlannedFile } from "./render/plan.js";
import { matchesAnyGlob } from "./packs/glob.js";
import { ANSWERS_FILE, formatAnswersFile, formatOptionSpec } from "./answers/answers-file.js";
import { UsageError } from "./errors.js";
import { recordedSource, type LoadedPack } from "./packs/pack.js";
import { resolveTemplate, type ResolvedTemplate, type TemplateInput } from "./answers/resolver.js";
import { templateData, type TemplateData } from "./render/template-data.js";
import { withoutSecrets } from "./packs/secret.js";
import { packageLayers } from "./render/template-pack.js";
import { optionalFileWanted } from "./render/optional-files.js";
import { loadTemplateSet, type TemplateLayer } from "./render/template-source.js";
import { CLI_VERSION } from "./version.js";
import { assertWritable, writePackage } from "./write/write.js";
import { decideWrite, readTargetState, type WriteDecision } from "./write/write-actions.js";
import { applyChanges } from "./write/write-changes.js";
import type { Workspace } from "./workspace/detect.js";
import { planMember, type MemberPlan } from "./workspace/member-plan.js";

/** What a plan takes beside the answers: a pack source or loaded pack, its answers, the environment (answers/resolver.ts). */
export type PlanOptions = TemplateInput;

export interface PackagePlan {
  answers: Answers;
  data: TemplateData;
  /** Every file of the package, `.create-middleware.json` included. */
  files: PlannedFile[];
  /** The team pack, when one was used. */
  pack: LoadedPack | undefined;
}

export function templateLayers(answers: Pick<Answers, "target" | "schema" | "starter">, pack: LoadedPack | undefined): TemplateLayer[] {
  return packageLayers(answers, pack?.tree);
}

/** `.create-middleware.json`: what replaying the package with `--answers` needs, nothing else. */
function answersFile(answers: Answers, data: TemplateData, pack: LoadedPack | undefined): PlannedFile {
  const text = formatAnswersFile({
    version: 1,
    createMiddleware: CLI_VERSION,
    template: pack ? { source: recordedSource(pack, answers.directory), resolved: pack.resolved } : null,
    answers: {
      packageName: answers.packageName,
      target: answers.target,
      schema: answers.schema,
      starter: answers.starter,
      description: answers.description,
      options: answers.fields === undefined ? null : answers.fields.map(formatOptionSpec),
      // A secret answer is used, never recorded (packs/secret.ts).
      vars: withoutSecrets(data.vars, pack?.manifest?.questions),
      author: data.author,
      year: data.year,
      license: data.license,
      repository: answers.repository ?? null,
      ...(answers.updateWorkflow ? { updateWorkflow: true } : {}),
    },
  });
  return { path: ANSWERS_FILE, contents: Buffer.from(text, "utf8"), source: "create-middleware" };
}

/** Renders every file of the package in memory, once the resolver has loaded the pack and checked the answers against it. Writes nothing. */
export async function planMiddlewarePackage(answers: Answers, options: PlanOptions = {}): Promise<PackagePlan> {
  return planResolved(answers, await resolveTemplate(answers, options));
}

/**
 * Renders every file of the package in memory from what the resolver gave: `resolveCreate`'s or
 * `resolveTemplate`'s pack, pack answers and environment, which it has checked against these answers, so
 * nothing is checked twice. Writes nothing.
 */
export async function planResolved(answers: Answers, { pack, vars, environment }: ResolvedTemplate): Promise<PackagePlan> {
  const { starter } = answers;
  const layered = loadTemplateSet(templateLayers({ target: answers.target, schema: answers.schema, starter }, pack));
  // pack.json's `exclude`: files the pack's packages never get, not even rendered.
  const exclude = pack?.manifest?.exclude;
  const templates = exclude ? { ...layered, files: layered.files.filter((file) => !matchesAnyGlob(exclude, outputPath(file.path))) } : layered;
  const data = templateData(answers, environment, vars);
  const rendered = await renderPlan(templates, data);
  if (rendered.some((file) => file.path === ANSWERS_FILE)) {
    throw new UsageError(`A template renders ${ANSWERS_FILE}, which create-middleware writes itself; remove it from the pack.`);
  }
  const files = [...rendered.filter((file) => optionalFileWanted(file.path, answers)), answersFile(answers, data, pack)];
  return { answers, data, files, pack };
}

/** What a create does beside planning: where and how it writes, and what it runs after. */
export interface CreateSteps {
  answers: Answers;
  /** Write into a non-empty directory (only the package's files; nothing deleted). */
  force?: boolean;
  /** Plan only; write nothing. */
  dryRun?: boolean;
  /** Told as the steps happen, so a CLI can show progress. */
  listener?: CreateListener;
  /** Aborting stops a running install or git command. */
  signal?: AbortSignal;
  /**
   * The monorepo the package joins (workspace/detect.ts): the package becomes a member (no .github of its
   * own, the root's shared config), its CI and dependabot entries go to the root, and the install runs there.
   */
  workspace?: Workspace | undefined;
}

export interface CreateOptions extends PlanOptions, CreateSteps {}

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
  /** As a workspace member: its folder and the root files it changes (or, in a dry run, would change). */
  member: MemberPlan | undefined;
}

/** The render as written, kept in the package's repository as the base for `create-middleware update`. */
function pristineOf(plan: PackagePlan): { files: PlannedFile[]; message: string } {
  const message = `create-middleware ${CLI_VERSION}: pristine render of ${plan.answers.packageName}\n\nThe base that \`create-middleware update\` merges from; see docs/update.md of create-middleware.`;
  return { files: plan.files, message };
}

/**
 * A package inside a larger repository (a monorepo's member, or any folder of a repository such as
 * `services/auth-mw`) has no repository of its own: its render goes into the enclosing one, under its
 * folder. Best effort, as for a package's own repository: without it, `update` re-renders the recorded version.
 */
async function keepPristineUnderFolder(directory: string, pristine: { files: PlannedFile[]; message: string }): Promise<void> {
  const { recordPristine, repositoryFolder } = await import("./system/pristine.js");
  try {
    const folder = await repositoryFolder(directory);
    if (folder) await recordPristine(directory, pristine.files, pristine.message, { folder });
  } catch {
    // git missing or failing: the write stands, and the base is found by a fresh render
  }
}

/**
 * Plans, writes, then (as the answers ask) installs dependencies and creates a git repository with an
 * initial commit. Git runs even when the install failed, so the files are tracked either way. The pack
 * source or loaded pack, its answers and the environment go through the resolver first (resolveTemplate).
 */
export async function createMiddlewarePackage(options: CreateOptions): Promise<CreateResult> {
  return createResolved(options, await resolveTemplate(options.answers, options));
}

/** `createMiddlewarePackage` for what `resolveCreate` gave (the CLI's create): already checked, so not again. */
export async function createResolved(options: CreateSteps, resolved: ResolvedTemplate): Promise<CreateResult> {
  const { answers, listener } = options;
  const plan = await planResolved(answers, resolved);
  const force = options.force ?? false;
  // Root files are part of the plan: checked (conflicts, uncommitted changes) before anything is written.
  const member = options.workspace
    ? await planMember(
        options.workspace,
        answers.directory,
        plan.files,
        { ...plan.data, packageName: answers.packageName, updateWorkflow: answers.updateWorkflow === true },
        { force },
      )
    : undefined;
  if (member) plan.files = member.files;
  if (options.dryRun) {
    const decision = decideWrite(plan.files, readTargetState(answers.directory, plan.files), { force });
    // The same checks the real write makes before touching anything (a link leading out, a folder in the way).
    if (!decision.refusal) assertWritable(answers.directory, plan.files);
    const overwritten = decision.refusal ? [] : decision.actions.filter((entry) => entry.action === "replace").map((entry) => entry.path);
    return { plan, dryRun: true, overwritten, decision, install: undefined, git: undefined, member };
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
  if (member && member.rootChanges.length > 0) {
    await applyChanges(
      member.workspace.root,
      member.rootChanges.map((change) => ({ path: change.path, contents: change.after })),
    );
  }
  // A member has no repository of its own: its pristine render goes into the monorepo's, under its folder
  // (system/pristine.ts), so `update` finds its base even after its pack folder is edited in place.
  if (member) await keepPristineUnderFolder(answers.directory, pristineOf(plan));
  listener?.written?.({ plan, overwritten: written.overwritten, identical: written.identical });
  await pauseForTest("written");
  const signal = options.signal ? { signal: options.signal } : {};

  let install: InstallReport | undefined;
  if (answers.install) {
    listener?.installStart?.(formatCommand(packageManagerCommands(answers.packageManager).install));
    // A member installs from the root: one lockfile, the workspace's.
    install = await installDependencies(member ? member.workspace.root : answers.directory, answers.packageManager, signal);
    listener?.installEnd?.(install);
  }

  let git: GitReport | undefined;
  if (answers.git && !options.signal?.aborted) {
    listener?.gitStart?.();
    const pristine = pristineOf(plan);
    const keepPristine = async (run: Runner, env: NodeJS.ProcessEnv | undefined) => {
      const { recordPristine } = await import("./system/pristine.js");
      await recordPristine(answers.directory, pristine.files, pristine.message, { run, ...(env ? { env } : {}) });
    };
    git = await initGitRepository(answers.directory, { files: written.written, keepPristine, ...signal });
    // No repository made because the folder is inside one (not as a member: kept above): kept there.
    if (!member && !git.initialized && !options.signal?.aborted) await keepPristineUnderFolder(answers.directory, pristine);
    listener?.gitEnd?.(git);
  }
  return { plan, dryRun: false, overwritten: written.overwritten, decision, install, git, member };
}
