/**
 * `create-middleware update --pull-request --all`: what the template-update workflow at a monorepo's root
 * runs (docs/update.md, "In a monorepo"). One pull request per pack version: every member create-middleware
 * made (a member folder holding its answers file) is checked with `outdated`; the members that are behind
 * are grouped by the pack and the version they move to, and each group is updated together on the one
 * branch `create-middleware/update-<version>`, one commit, one pull request with a section per package.
 *
 * The rules are pull-request.ts's: a dirty work tree is refused before anything; a branch holding a commit
 * this command did not write is never replaced; pushes use --force-with-lease on the tip read. A member
 * whose check fails (its pack cannot be fetched), or a group whose branch is someone else's, is skipped and
 * named at the end (the run fails), after the other groups got their pull requests.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { FailedError, PackNeedsNewerCliError, UsageError } from "../errors.js";
import { parsePackSource, redactSource } from "../packs/source-spec.js";
import type { Workspace } from "../workspace/detect.js";
import { BASE_REF } from "../system/pristine.js";
import { listMembers } from "../workspace/globs.js";
import { checkOutdated, type OutdatedReport } from "./outdated.js";
import { membersPullRequestBody, type MemberSection } from "./pull-request-body.js";
import {
  BRANCH_PREFIX,
  checkCheckout,
  commitUpdate,
  describeFiles,
  git,
  gitOrFail,
  openOrRefreshPullRequest,
  pushUpdateBranch,
  readUpdateBranch,
  updateVersion,
} from "./pull-request.js";
import { applyUpdate, planUpdate, readRecordOf, type UpdatePlan } from "./update.js";

export interface MembersPullRequestOptions {
  workspace: Workspace;
  remote?: string;
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
  log: (message: string) => void;
}

interface GroupResult {
  /** opened / refreshed / unchanged as for one package; failed: skipped before anything was written (`error`). */
  outcome: "unchanged" | "opened" | "refreshed" | "failed";
  branch: string;
  version: string;
  /** The pack's source as the first member records it (null: create-middleware's own templates). */
  pack: string | null;
  /** Member folders, relative to the root. */
  members: string[];
  /** Files in conflict, relative to the root. */
  conflicts: string[];
  pullRequest: string | null;
  error?: string;
}

export interface MembersPullRequestResult {
  root: string;
  /** Member folders that were up to date. */
  current: string[];
  groups: GroupResult[];
  /** Members whose check failed: not updated. */
  failed: { folder: string; error: string }[];
}

/** The pack a member records, the same for every member wherever it sits: a folder's absolute path, an npm name, a git URL. */
function packIdentity(report: OutdatedReport): string {
  const { record } = readRecordOf(report.directory);
  if (record.template === null) return "create-middleware";
  try {
    const source = parsePackSource(record.template.source, report.directory);
    if (source.kind === "folder" || source.kind === "tarball") return `${source.kind}:${source.path}`;
    if (source.kind === "npm") return `npm:${source.name ?? source.spec}`;
    return `git:${source.url}${source.subfolder ? `::${source.subfolder}` : ""}`;
  } catch {
    return `source:${record.template.source}`;
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0]! : String(error));

interface Group {
  key: string;
  version: string;
  branch: string;
  pack: string | null;
  members: { folder: string; report: OutdatedReport }[];
}

/** Members behind their templates, grouped by pack and target version; each group's branch named after the version. */
function groupMembers(behind: { folder: string; report: OutdatedReport }[]): Group[] {
  const groups = new Map<string, Group>();
  for (const member of behind) {
    const identity = packIdentity(member.report);
    const key = `${identity}\0${member.report.to.template ?? member.report.to.createMiddleware}`;
    let group = groups.get(key);
    if (!group) {
      const version = updateVersion(member.report.to);
      const pack = readRecordOf(member.report.directory).record.template?.source ?? null;
      group = { key, version, branch: `${BRANCH_PREFIX}${version}`, pack: pack === null ? null : redactSource(pack), members: [] };
      groups.set(key, group);
    }
    group.members.push(member);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Two packs at the same version (2.0.0) would share a branch: the second one's name carries its pack too.
  const taken = new Set<string>();
  for (const group of sorted) {
    if (taken.has(group.branch)) group.branch = `${group.branch}-${createHash("sha256").update(group.key).digest("hex").slice(0, 8)}`;
    taken.add(group.branch);
  }
  return sorted;
}

export async function openMembersPullRequests(options: MembersPullRequestOptions): Promise<MembersPullRequestResult> {
  const { workspace, env, log } = options;
  const root = workspace.root;
  const remote = options.remote ?? "origin";
  const offline = options.offline ?? false;
  const baseBranch = await checkCheckout(root, env, "the monorepo");
  // Pristine renders (the members' bases, when the repository keeps them) live on a ref a clone does not fetch.
  await git(["fetch", "--quiet", remote, `+${BASE_REF}:${BASE_REF}`], root, env);

  const folders = listMembers(root, workspace.globs, ANSWERS_FILE);
  if (folders.length === 0) {
    throw new UsageError(
      `No package in the workspace at ${root} was made by create-middleware (none holds ${ANSWERS_FILE}): --all has nothing to update. ` +
        "Run update --pull-request in a package's folder, or remove the workflow.",
    );
  }
  const current: string[] = [];
  const failed: { folder: string; error: string }[] = [];
  const behind: { folder: string; report: OutdatedReport }[] = [];
  for (const folder of folders) {
    try {
      const report = await checkOutdated({ directory: path.join(root, folder), offline, ...(env ? { env } : {}) });
      if (report.outdated) behind.push({ folder, report });
      else current.push(folder);
    } catch (error) {
      // A pack that needs a newer CLI: the caller hands the whole run over to it, before anything was written.
      if (error instanceof PackNeedsNewerCliError) throw error;
      failed.push({ folder, error: firstLine(error) });
      log(`${folder}: the check failed (${firstLine(error)}); it is not updated.`);
    }
  }
  for (const folder of current) log(`${folder} is up to date with its templates.`);

  const groups: GroupResult[] = [];
  for (const group of groupMembers(behind)) {
    const members = group.members.map((member) => member.folder);
    const summary = { branch: group.branch, version: group.version, pack: group.pack, members };
    // Before anything is written for the group: its branch is ours to replace, and every member's update is
    // planned. A member whose plan fails (no base) is left out and named; the others still move.
    let remoteTip: string | undefined;
    try {
      remoteTip = await readUpdateBranch(root, remote, group.branch, env);
    } catch (error) {
      log(`${group.branch} (${members.join(", ")}): ${firstLine(error)}`);
      groups.push({ outcome: "failed", ...summary, conflicts: [], pullRequest: null, error: firstLine(error) });
      continue;
    }
    const plans: { folder: string; plan: UpdatePlan }[] = [];
    for (const member of group.members) {
      try {
        const plan = await planUpdate({ directory: path.join(root, member.folder), offline, ...(env ? { env } : {}) }, { requireClean: true });
        plans.push({ folder: member.folder, plan });
      } catch (error) {
        if (error instanceof PackNeedsNewerCliError) throw error;
        failed.push({ folder: member.folder, error: firstLine(error) });
        log(`${member.folder}: the update cannot be planned (${firstLine(error)}); it is not updated.`);
      }
    }
    if (plans.length === 0) continue;
    summary.members = plans.map((plan) => plan.folder);

    await gitOrFail(["checkout", "--quiet", "-B", group.branch, baseBranch], root, env, `Creating the branch ${group.branch}`);
    const sections: MemberSection[] = [];
    const conflicts: string[] = [];
    let pristine = false;
    for (const { folder, plan } of plans) {
      const result = await applyUpdate(plan, env ? { env } : {});
      pristine ||= result.pristine !== undefined;
      conflicts.push(...result.conflicts.map((file) => `${folder}/${file}`));
      sections.push({
        folder,
        packageName: plan.record.answers.packageName,
        from: plan.from,
        to: plan.to,
        files: await describeFiles(plan, `${folder}/`),
        conflicts: result.conflicts,
      });
    }
    const subject = `Update templates to ${group.version}`;
    await commitUpdate(root, env, subject, group.version);
    const upToDate = await pushUpdateBranch(root, remote, group.branch, remoteTip, env, log);
    // Share the new pristine renders, so the next run's bases are this update (a failure only costs fresh renders).
    if (pristine) {
      const shared = await git(["push", "--quiet", remote, `${BASE_REF}:${BASE_REF}`], root, env);
      if (!shared.ok) log(`warning: could not push ${BASE_REF} (${shared.output.trim()}); the next update finds its bases another way.`);
    }
    const changelog = plans.map(({ plan }) => plan.next.changelog).find((text) => text !== undefined);
    const body = membersPullRequestBody({ pack: group.pack, sections, changelog: changelog?.toString("utf8") });
    const title = `${subject} in ${plans.length} ${plans.length === 1 ? "package" : "packages"}${conflicts.length > 0 ? ` (${conflicts.length} to resolve)` : ""}`;
    const opened = await openOrRefreshPullRequest(root, env, log, { branch: group.branch, baseBranch, title, body });
    groups.push({
      outcome: opened.refreshed ? (upToDate ? "unchanged" : "refreshed") : "opened",
      ...summary,
      conflicts,
      pullRequest: opened.pullRequest,
    });
    // Back to the default branch (clean: everything was committed), the base of the next group's branch.
    await gitOrFail(["checkout", "--quiet", baseBranch], root, env, `Returning to ${baseBranch}`);
  }
  if (behind.length === 0 && failed.length === 0) log("Every package create-middleware made is up to date; no pull request.");
  return { root, current, groups, failed };
}

/** The run's failure, after every group that could be handled was: naming each member and branch that was not. */
export function membersFailure(result: MembersPullRequestResult): FailedError | undefined {
  const problems = [
    ...result.failed.map((entry) => `${entry.folder}: ${entry.error}`),
    ...result.groups.filter((group) => group.outcome === "failed").map((group) => `${group.branch} (${group.members.join(", ")}): ${group.error}`),
  ];
  if (problems.length === 0) return undefined;
  const opened = result.groups.some((group) => group.outcome !== "failed") ? " (the others' pull requests are open)" : "";
  return new FailedError(`Not every package could be updated${opened}:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
}
