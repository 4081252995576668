/**
 * Is an existing package a workspace member, as `create` made it (no `.github/` of its own, the root's
 * shared config extended: member-files.ts)? `update`, `diff` and `outdated` render the package as create
 * wrote it, so the render of a member must be adapted the same way, or every file create moved to the
 * root would read as deleted by the user.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { PlannedFile } from "../render/plan.js";
import { findWorkspace, type Workspace } from "./detect.js";
import { isMember } from "./globs.js";
import { memberFiles } from "./member-files.js";

export interface Membership {
  workspace: Workspace;
  /** The member's folder relative to the root, forward slashes. */
  folder: string;
}

/**
 * The workspace `directory` is a member of, or undefined for a stand-alone package: outside any workspace,
 * in a folder the root's globs do not match, or made with `create --no-workspace` (it has the CI workflow
 * of its own that a member never gets).
 */
export async function membershipOf(directory: string): Promise<Membership | undefined> {
  const absolute = path.resolve(directory);
  if (existsSync(path.join(absolute, ".github", "workflows", "ci.yml"))) return undefined;
  const workspace = await findWorkspace(path.dirname(absolute));
  if (!workspace) return undefined;
  const folder = path.relative(workspace.root, absolute).split(path.sep).join("/");
  if (folder === "" || folder.startsWith("..") || path.isAbsolute(folder) || !isMember(folder, workspace.globs)) return undefined;
  return { workspace, folder };
}

/** The rendered files as create writes them for this package: adapted when it is a member. */
export function filesAsWritten(files: PlannedFile[], membership: Membership | undefined): PlannedFile[] {
  return membership ? memberFiles(files, membership.workspace, membership.folder) : files;
}
