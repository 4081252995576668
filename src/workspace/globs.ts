/**
 * The workspace globs as package managers read them, for what create-middleware needs: is a folder a
 * member, where do new members go, and which folders are members. `*` is one folder name, `**` any depth,
 * a leading `!` excludes; the last glob that matches decides, as in pnpm and npm.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

function globPattern(glob: string): RegExp {
  const source = glob
    .split("/")
    .map((segment) => (segment === "**" ? "(?:[^/]+/)*" : `${segment.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, "[^/]*")}/`))
    .join("");
  return new RegExp(`^${source.replace(/\/$/, "")}$`.replace("(?:[^/]+/)*$", ".*$"));
}

/** Whether `relative` (a folder inside the root, forward slashes) is a member by these globs. */
export function isMember(relative: string, globs: readonly string[]): boolean {
  let member = false;
  for (const glob of globs) {
    const negated = glob.startsWith("!");
    if (globPattern(negated ? glob.slice(1) : glob).test(relative)) member = !negated;
  }
  return member;
}

/** A glob's part before its first wildcard: "packages" for "packages/*", the whole glob when it has none. */
function fixedPrefix(glob: string): string {
  const segments = glob.split("/");
  const wildcard = segments.findIndex((segment) => segment.includes("*"));
  return segments.slice(0, wildcard === -1 ? undefined : wildcard).join("/");
}

/** The folder new members go in: the first positive glob with a wildcard, before that wildcard ("packages"). */
export function membersFolder(globs: readonly string[]): string | undefined {
  const first = globs.find((glob) => !glob.startsWith("!") && glob.includes("*"));
  return first === undefined ? undefined : fixedPrefix(first);
}

/** Member folders (relative to the root) that hold `marker`, found by walking from the globs' fixed parts. */
export function listMembers(root: string, globs: readonly string[], marker: string): string[] {
  const found = new Set<string>();
  const consider = (relative: string) => {
    if (relative !== "" && isMember(relative, globs) && existsSync(path.join(root, relative, marker))) found.add(relative);
  };
  const visit = (relative: string, depth: number) => {
    if (depth > 6) return;
    let entries;
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      consider(child);
      visit(child, depth + 1);
    }
  };
  for (const start of new Set(globs.filter((glob) => !glob.startsWith("!")).map(fixedPrefix))) {
    consider(start);
    visit(start, 0);
  }
  return [...found].sort();
}
