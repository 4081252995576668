/**
 * `update --update-workflow` in a monorepo's member: a member has no `.github/` of its own, so the workflow
 * that answer asks for is the root's one template-update.yml (root-files.ts): created when the root has
 * none, kept as it is when it has one, as `create` does for a new member.
 */
import { existsSync, lstatSync } from "node:fs";
import path from "node:path";
import { LATEST_NODE_VERSION } from "../tables/node-lines.js";
import { findWorkspace } from "./detect.js";
import { isMember } from "./globs.js";
import { ROOT_UPDATE_WORKFLOW_PATH, templateUpdateWorkflow } from "./root-files.js";

export interface RootWorkflow {
  /** The monorepo's root, absolute. */
  root: string;
  /** Relative to the root, forward slashes. */
  path: string;
  contents: Buffer;
}

/** The root workflow to create for the member at `directory`; undefined for a stand-alone package, or when the root has one. */
export async function missingRootUpdateWorkflow(directory: string): Promise<RootWorkflow | undefined> {
  const absolute = path.resolve(directory);
  // Made with create --no-workspace: it carries its own CI (and would carry its own workflow).
  if (existsSync(path.join(absolute, ".github", "workflows", "ci.yml"))) return undefined;
  const workspace = await findWorkspace(path.dirname(absolute));
  if (!workspace) return undefined;
  const folder = path.relative(workspace.root, absolute).split(path.sep).join("/");
  if (folder === "" || folder.startsWith("..") || path.isAbsolute(folder) || !isMember(folder, workspace.globs)) return undefined;
  // Anything at that path (a file of the team's, a link) is kept: never replaced, never followed.
  if (lstatSync(path.join(workspace.root, ...ROOT_UPDATE_WORKFLOW_PATH.split("/")), { throwIfNoEntry: false })) return undefined;
  return { root: workspace.root, path: ROOT_UPDATE_WORKFLOW_PATH, contents: Buffer.from(templateUpdateWorkflow(LATEST_NODE_VERSION), "utf8") };
}
