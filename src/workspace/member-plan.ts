/**
 * A package planned as a workspace member, in memory: where it goes must be a member by the root's globs
 * (else a usage error naming the glob to add), its files adapted (member-files.ts), and the root's files it
 * needs (root-files.ts) with what each holds now. Before anything is written, a root file we would change
 * that has uncommitted changes is refused unless `force`, and a root file the merge rules cannot change is
 * refused: nothing is written then.
 */
import { existsSync, lstatSync, realpathSync } from "node:fs";
import path from "node:path";
import { FailedError, UsageError } from "../errors.js";
import { gitEnvironment } from "../system/git.js";
import type { PlannedFile } from "../render/plan.js";
import { readUserFile, UserFileError } from "../system/read-user-file.js";
import { runCommand } from "../system/run-command.js";
import type { TemplateData } from "../render/template-data.js";
import { assertWritable } from "../write/write.js";
import type { Workspace } from "./detect.js";
import { isMember, membersFolder } from "./globs.js";
import { memberFiles } from "./member-files.js";
import {
  ciWorkflow,
  ciWorkflowPath,
  mergeDependabot,
  publishWorkflow,
  publishWorkflowPath,
  ROOT_UPDATE_WORKFLOW_PATH,
  templateUpdateWorkflow,
  type MemberFacts,
  type RootChange,
} from "./root-files.js";

export interface MemberPlan {
  workspace: Workspace;
  /** The member's folder relative to the root, forward slashes. */
  folder: string;
  files: PlannedFile[];
  /** Root files that change (unchanged ones are left out). */
  rootChanges: RootChange[];
}

/** The member folder for `directory`, or a usage error naming the glob that would make it one. */
export function memberFolder(workspace: Workspace, directory: string): string {
  const relative = path.relative(workspace.root, directory).split(path.sep).join("/");
  const file = workspace.declaredIn === "pnpm-workspace.yaml" ? "pnpm-workspace.yaml (packages)" : 'package.json ("workspaces")';
  // A (possibly hostile) repository's globs may match folders inside git's own: never a place for a package.
  if (relative.split("/").some((segment) => segment.toLowerCase() === ".git")) {
    throw new UsageError(
      `${relative} is inside .git, git's own folder, where no package goes. Fix the globs in ${file}, or pass --no-workspace for a stand-alone package.`,
    );
  }
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative) || !isMember(relative, workspace.globs)) {
    const parent = path.posix.dirname(relative);
    const suggestion = relative === "" || relative.startsWith("..") ? undefined : parent === "." ? relative : `${parent}/*`;
    const folder = membersFolder(workspace.globs);
    throw new UsageError(
      `${directory} is not a member of the workspace at ${workspace.root}: no glob in ${file} (${workspace.globs.join(", ") || "none"}) matches ${relative || "the root"}. ` +
        (suggestion ? `Add "${suggestion}" to ${file}, ` : "") +
        (folder !== undefined ? `create it under ${folder}/, ` : "") +
        "or pass --no-workspace for a stand-alone package.",
    );
  }
  // The folder goes into the root's workflows (`run:` lines, `working-directory`, path filters). GitHub
  // evaluates `${{ }}` there before any quoting applies, and YAML reads ": " or " #" as structure: so only
  // plain path characters are let through, whatever a (possibly hostile) repository's globs allow.
  if (!WORKFLOW_SAFE_FOLDER.test(relative)) {
    throw new UsageError(
      `${relative} cannot be written into the root's GitHub workflows: a member folder may hold only letters, digits and . _ - @ + ~ between slashes. ` +
        "Rename the folder (or fix the glob in the workspace file that made it), or pass --no-workspace for a stand-alone package.",
    );
  }
  return relative;
}

const WORKFLOW_SAFE_FOLDER = /^[\w.@+~-]+(?:\/[\w.@+~-]+)*$/;

/** The package folder must stay in the repository on disk too: no folder on its way may be a link leading out. */
function assertInsideRoot(workspace: Workspace, directory: string): void {
  let existing = directory;
  while (!existsSync(existing)) existing = path.dirname(existing);
  const root = realpathSync(workspace.root);
  const real = realpathSync(existing);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new FailedError(
      `${directory} leads out of the repository at ${workspace.root} (through a symbolic link to ${real}); nothing is written outside it. Choose a folder inside it.`,
    );
  }
  // A link inside the repository may still lead into git's own folder (packages -> .git).
  if (
    path
      .relative(root, real)
      .split(path.sep)
      .some((segment) => segment.toLowerCase() === ".git")
  ) {
    throw new FailedError(
      `${directory} leads into .git (through a symbolic link to ${real}), git's own folder, where no package goes. Choose a folder outside it.`,
    );
  }
}

function readRootFile(root: string, relative: string): Buffer | undefined {
  const file = path.join(root, ...relative.split("/"));
  const info = lstatSync(file, { throwIfNoEntry: false });
  if (!info) return undefined;
  // A link or anything but a regular file is never followed or replaced: reported as a conflict by the caller.
  if (!info.isFile()) return Buffer.from([0]);
  // A cloned repository is untrusted: a file over the size cap is refused by name (exit 2), never read whole.
  try {
    return readUserFile(file, { what: "The workspace root's file", noLinks: true });
  } catch (error) {
    if (error instanceof UserFileError) throw new UsageError(`${error.message} Or pass --no-workspace for a stand-alone package.`);
    throw error;
  }
}

async function rootChangesFor(workspace: Workspace, member: MemberFacts): Promise<RootChange[]> {
  const dependabot = ".github/dependabot.yml";
  // A root folder that is a link leading out of the repository is refused before anything is read or written.
  assertWritable(
    workspace.root,
    [ciWorkflowPath(member.packageName), publishWorkflowPath(member.packageName), ROOT_UPDATE_WORKFLOW_PATH, dependabot].map((file) => ({
      path: file,
    })),
  );
  const changes: RootChange[] = [];
  const created = (relative: string, contents: string) => {
    const before = readRootFile(workspace.root, relative);
    const after = Buffer.from(contents, "utf8");
    changes.push({
      path: relative,
      before,
      after,
      ...(before && !before.equals(after) ? { conflict: "it exists with other contents; it is never overwritten" } : {}),
    });
  };
  created(ciWorkflowPath(member.packageName), ciWorkflow(workspace, member));
  // With changesets the root's own release flow publishes every package: no second one per package.
  if (!workspace.tools.changesets) created(publishWorkflowPath(member.packageName), publishWorkflow(workspace, member));
  // One template-update workflow serves every member: written by the first that wants it, then kept as it is.
  if (member.updateWorkflow && readRootFile(workspace.root, ROOT_UPDATE_WORKFLOW_PATH) === undefined) {
    created(ROOT_UPDATE_WORKFLOW_PATH, templateUpdateWorkflow(member.latestNodeVersion));
  }
  const before = readRootFile(workspace.root, dependabot);
  const merged = before?.equals(Buffer.from([0]))
    ? { after: before, conflict: "it is not a regular file" }
    : await mergeDependabot(before, workspace.manager);
  changes.push({ path: dependabot, before, after: merged.after, ...(merged.conflict ? { conflict: merged.conflict } : {}) });
  return changes.filter((change) => change.conflict !== undefined || change.before === undefined || !change.before.equals(change.after));
}

/** Root files among `paths` with uncommitted changes; [] when the root is not in a git work tree. */
async function uncommitted(root: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  // A repository copied with its .git brings its config: `core.fsmonitor` names a program git status runs.
  const args = ["-c", "core.fsmonitor=false", "status", "--porcelain", "--untracked-files=all", "--", ...paths];
  const status = await runCommand({ command: "git", args }, { cwd: root, env: gitEnvironment() });
  if (!status.ok) return [];
  return status.stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
}

export async function planMember(
  workspace: Workspace,
  directory: string,
  files: readonly PlannedFile[],
  data: Pick<TemplateData, "nodeVersions" | "latestNodeVersion"> & { packageName: string; updateWorkflow?: boolean },
  options: { force: boolean },
): Promise<MemberPlan> {
  const folder = memberFolder(workspace, directory);
  assertInsideRoot(workspace, directory);
  const facts: MemberFacts = {
    folder,
    packageName: data.packageName,
    nodeVersions: data.nodeVersions,
    latestNodeVersion: data.latestNodeVersion,
    ...(data.updateWorkflow ? { updateWorkflow: true } : {}),
  };
  const rootChanges = await rootChangesFor(workspace, facts);
  const conflicts = rootChanges.filter((change) => change.conflict !== undefined);
  if (conflicts.length > 0) {
    throw new FailedError(
      `The package's root files cannot be written by the merge rules (nothing was written):\n${conflicts.map((change) => `  ${change.path}: ${change.conflict}`).join("\n")}\n` +
        "Move or rename those files, or pass --no-workspace for a stand-alone package.",
    );
  }
  const touched = rootChanges.filter((change) => change.before !== undefined).map((change) => change.path);
  const dirty = options.force ? [] : await uncommitted(workspace.root, touched);
  if (dirty.length > 0) {
    throw new FailedError(
      `Root files this would change have uncommitted changes (${dirty.join(", ")}). Commit or stash them first, so the change is one you can review and undo; or pass --force. Nothing was written.`,
    );
  }
  return { workspace, folder, files: memberFiles(files, workspace, folder), rootChanges };
}
