/**
 * Turborepo and Nx at a monorepo's root run a member's package.json scripts as its tasks (Turborepo by the
 * task names in turbo.json, Nx by inferring targets from the scripts), so a member fits their pipelines by
 * having the usual scripts: build (into dist/), test, typecheck, lint. What to tell the user, in their words.
 */
import type { Workspace } from "./detect.js";

export function taskRunnerNote(workspace: Workspace, packageName: string): string | undefined {
  const tasks = "build (into dist/), test, typecheck and lint";
  if (workspace.tools.turbo) return `Turborepo: its ${tasks} scripts are its tasks; e.g. npx turbo run test --filter=${packageName}`;
  if (workspace.tools.nx) return `Nx: its ${tasks} scripts are its targets; e.g. npx nx run-many -t test -p ${packageName}`;
  return undefined;
}
