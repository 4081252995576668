/**
 * Where a package goes in a monorepo, before the answers are resolved: a bare name given at the root
 * (`create-middleware rate-guard`) goes where the workspace's packages live (the first glob's folder),
 * the package manager is the workspace's (a --pm naming another is a usage error), there is no git
 * repository of its own, and an unscoped name takes the scope of the root or of the other members.
 */
import path from "node:path";
import { parsePackageManager } from "../answers/answers.js";
import { UsageError } from "../errors.js";
import { isScopedName, unscopedName } from "../answers/names.js";
import { readUserFile } from "../system/read-user-file.js";
import type { Workspace } from "./detect.js";
import { listMembers, membersFolder } from "./globs.js";

export interface PlacementFlags {
  directory?: string;
  name?: string;
  pm?: string;
  git?: boolean;
}

/** "@acme" from "@acme/x"; undefined for an unscoped or missing name. */
function scopeOf(name: unknown): string | undefined {
  return typeof name === "string" && isScopedName(name) ? name.split("/")[0] : undefined;
}

/** The root's scope, else the scope most members share; undefined when there is none. */
export function workspaceScope(workspace: Workspace): string | undefined {
  const own = scopeOf(workspace.rootManifest.name);
  if (own) return own;
  const counts = new Map<string, number>();
  for (const member of listMembers(workspace.root, workspace.globs, "package.json")) {
    let name: unknown;
    try {
      // readUserFile: a member's package.json linked to /dev/zero or a FIFO is refused, not read forever.
      const text = readUserFile(path.join(workspace.root, member, "package.json"), { what: "A member's package.json" })?.toString("utf8");
      name = (JSON.parse(text ?? "{}") as { name?: unknown } | null)?.name;
    } catch {
      continue; // a member whose package.json cannot be read or parsed says nothing about the scope
    }
    const scope = scopeOf(name);
    if (scope) counts.set(scope, (counts.get(scope) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** The flags as a member of `workspace` needs them; `cwd` decides whether a bare name is "at the root". */
export function placeInWorkspace<T extends PlacementFlags>(flags: T, workspace: Workspace, cwd: string): T {
  if (flags.pm !== undefined && parsePackageManager(flags.pm) !== workspace.manager) {
    throw new UsageError(
      `--pm ${flags.pm}: the workspace at ${workspace.root} uses ${workspace.manager}, and a member installs with the workspace's manager. Drop --pm, or pass --no-workspace for a stand-alone package.`,
    );
  }
  const placed: T = { ...flags, pm: workspace.manager, git: false };
  const argument = flags.directory;
  const bare = argument !== undefined && (isScopedName(argument) || !/[\\/]/.test(argument)) && argument !== "." && argument !== "..";
  const folder = membersFolder(workspace.globs);
  if (bare && path.resolve(cwd) === workspace.root && folder !== undefined) {
    placed.directory = path.posix.join(folder, unscopedName(argument));
    if (isScopedName(argument) && flags.name === undefined) placed.name = argument;
  }
  return placed;
}
