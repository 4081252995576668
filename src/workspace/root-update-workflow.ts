/**
 * `update --update-workflow` in a monorepo's member: a member has no `.github/` of its own, so the workflow
 * that answer asks for is the root's one template-update.yml (root-files.ts): created when the root has
 * none, kept as it is when it has one, as `create` does for a new member.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import { LATEST_NODE_VERSION } from "../tables/node-lines.js";
import { membershipOf } from "./member-of.js";
import { assertWritable } from "../write/write.js";
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
  const membership = await membershipOf(directory);
  if (!membership) return undefined;
  const { root } = membership.workspace;
  // Anything at that path (a file of the team's, a link) is kept: never replaced, never followed.
  if (lstatSync(path.join(root, ...ROOT_UPDATE_WORKFLOW_PATH.split("/")), { throwIfNoEntry: false })) return undefined;
  // Checked now, before the member is updated: a .github/ leading out of the root (a link) refuses the run
  // with nothing written, rather than after the member's files changed.
  assertWritable(root, [{ path: ROOT_UPDATE_WORKFLOW_PATH }]);
  return { root, path: ROOT_UPDATE_WORKFLOW_PATH, contents: Buffer.from(templateUpdateWorkflow(LATEST_NODE_VERSION), "utf8") };
}
