/**
 * `outdated` at a monorepo's root: the existing per-package check (update/outdated.ts) for every member
 * create-middleware made (a member folder holding its answers file), one result each, in folder order.
 * A member whose check fails is reported as such; the others are still checked.
 */
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { checkOutdated, type OutdatedReport } from "./outdated.js";
import type { Workspace } from "../workspace/detect.js";
import { listMembers } from "../workspace/globs.js";

export type MemberOutdated = { folder: string; report: OutdatedReport; error?: undefined } | { folder: string; report?: undefined; error: string };

export async function checkOutdatedMembers(workspace: Workspace, options: { offline: boolean }): Promise<MemberOutdated[]> {
  const results: MemberOutdated[] = [];
  for (const folder of listMembers(workspace.root, workspace.globs, ANSWERS_FILE)) {
    try {
      results.push({ folder, report: await checkOutdated({ directory: path.join(workspace.root, folder), offline: options.offline }) });
    } catch (error) {
      results.push({ folder, error: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
    }
  }
  return results;
}
