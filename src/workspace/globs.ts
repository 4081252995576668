/**
 * The workspace globs as package managers read them, for what create-middleware needs: is a folder a
 * member, where do new members go, and which folders are members. `*` is one folder name, `**` any depth,
 * a leading `!` excludes; the last glob that matches decides, as in pnpm and npm.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * One folder name against one glob segment, `*` being any run of characters. Greedy with one backtrack
 * point, so at most name x segment steps: the globs come from a repository that may be hostile, and as a
 * regular expression `a*a*a*…b` against a long folder name backtracks for hours.
 */
function segmentMatches(segment: string, name: string): boolean {
  let s = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (segment[s] === "*") {
      star = s++;
      resume = n;
    } else if (s < segment.length && segment[s] === name[n]) {
      s += 1;
      n += 1;
    } else if (star !== -1) {
      s = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (segment[s] === "*") s += 1;
  return s === segment.length;
}

/** A folder path against a glob: `**` is any number of folders (at the end, at least one), memoized. */
function globMatches(glob: string, relative: string): boolean {
  const parts = glob.split("/");
  const names = relative.split("/");
  const memo = new Map<number, boolean>();
  const from = (p: number, n: number): boolean => {
    const key = p * (names.length + 1) + n;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === parts.length) result = n === names.length;
    else if (parts[p] === "**") {
      if (p === parts.length - 1) result = p === 0 || n < names.length;
      else {
        result = false;
        for (let next = n; next <= names.length && !result; next += 1) result = from(p + 1, next);
      }
    } else result = n < names.length && segmentMatches(parts[p]!, names[n]!) && from(p + 1, n + 1);
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

/** Whether `relative` (a folder inside the root, forward slashes) is a member by these globs. */
export function isMember(relative: string, globs: readonly string[]): boolean {
  let member = false;
  for (const glob of globs) {
    const negated = glob.startsWith("!");
    if (globMatches(negated ? glob.slice(1) : glob, relative)) member = !negated;
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
  // A glob such as "../*" (a hostile repository's) would walk folders outside the root: never a member. Nor
  // would a symbolic link on the glob's fixed part (packages -> ../elsewhere): links are never followed, there
  // as below it (the walk takes folders only).
  const isLink = (relative: string) => {
    try {
      return lstatSync(path.join(root, relative), { throwIfNoEntry: false })?.isSymbolicLink() === true;
    } catch {
      return false; // not there (a part is a file): nothing to walk
    }
  };
  const throughLink = (start: string) =>
    start
      .split("/")
      .filter((segment) => segment !== "" && segment !== ".")
      .some((_, index, segments) => isLink(segments.slice(0, index + 1).join("/")));
  const inside = (start: string) => !start.split("/").includes("..") && !throughLink(start);
  for (const start of new Set(
    globs
      .filter((glob) => !glob.startsWith("!"))
      .map(fixedPrefix)
      .filter(inside),
  )) {
    consider(start);
    visit(start, 0);
  }
  return [...found].sort();
}
