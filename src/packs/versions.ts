/**
 * Version numbers and ranges, as far as packs need them: which git tags are versions (`v2.0.0`, `2.1`,
 * `v10`: the `v` optional, missing minor and patch read as 0), their order (v10 > v2; a prerelease comes
 * before its release), and npm's range forms (`^2`, `~2.1`, `2.x`, `>=1.2 <3`, `1 || 2`, `*`, an exact
 * version). Prereleases satisfy a range only when they are named in it, as with npm. Pure; no network.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; empty for a release. */
  prerelease: string[];
  /** The text it was read from (a tag name keeps its `v`). */
  text: string;
}

// A prerelease or build suffix only after a full major.minor.patch: `2024-01-01` is a date, not a version.
const VERSION = /^v?(\d{1,9})(?:\.(\d{1,9})(?:\.(\d{1,9})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?)?)?$/;

/** A version, or undefined when `text` is not one (a tag such as `latest`, `release-2024`). */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2] ?? 0),
    patch: Number(match[3] ?? 0),
    prerelease: match[4] ? match[4].split(".") : [],
    text,
  };
}

function compareIdentifiers(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  if (numeric.test(a)) return -1;
  if (numeric.test(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let index = 0; index < Math.max(a.prerelease.length, b.prerelease.length); index++) {
    if (a.prerelease[index] === undefined) return -1;
    if (b.prerelease[index] === undefined) return 1;
    const order = compareIdentifiers(a.prerelease[index]!, b.prerelease[index]!);
    if (order !== 0) return order;
  }
  return 0;
}

type Comparator = { op: "<" | "<=" | ">" | ">=" | "="; version: Version };

/** `1`, `1.2`, `1.x`, `1.2.*` -> the parts given (x and * are not given). */
function partial(text: string): { parts: number[]; prerelease: string[] } | undefined {
  const match = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$/.exec(text);
  if (!match) return undefined;
  const parts: number[] = [];
  for (const part of [match[1], match[2], match[3]]) {
    if (part === undefined || /^[xX*]$/.test(part)) break;
    parts.push(Number(part));
  }
  return { parts, prerelease: match[4] ? match[4].split(".") : [] };
}

const at = (major: number, minor: number, patch: number, prerelease: string[] = []): Version => ({
  major,
  minor,
  patch,
  prerelease,
  text: `${major}.${minor}.${patch}`,
});

/** One range term -> comparators, all of which must hold; undefined when it is not a range term. */
function comparators(term: string): Comparator[] | undefined {
  if (term === "*" || term === "" || /^[xX]$/.test(term)) return [];
  const operator = /^(<=|>=|<|>|=|\^|~)?\s*(.+)$/.exec(term);
  if (!operator) return undefined;
  const op = operator[1] ?? "";
  const given = partial(operator[2]!);
  if (!given) return undefined;
  const [major = 0, minor = 0, patch = 0] = given.parts;
  const count = given.parts.length;
  const low = at(major, minor, patch, given.prerelease);
  if (count === 0) return op === "<" || op === ">" ? [{ op: "<", version: at(0, 0, 0, ["0"]) }] : [];
  // The first version past a partial: 1 -> 2.0.0, 1.2 -> 1.3.0.
  const next = (level: number) =>
    level === 1 ? at(major + 1, 0, 0, ["0"]) : level === 2 ? at(major, minor + 1, 0, ["0"]) : at(major, minor, patch + 1, ["0"]);
  switch (op) {
    case "^": {
      // Up to the next change of the first non-zero part given.
      const level = major > 0 || count === 1 ? 1 : minor > 0 || count === 2 ? 2 : 3;
      return [
        { op: ">=", version: low },
        { op: "<", version: next(level) },
      ];
    }
    case "~":
      return [
        { op: ">=", version: low },
        { op: "<", version: next(count === 1 ? 1 : 2) },
      ];
    case ">":
      return [count === 3 ? { op: ">", version: low } : { op: ">=", version: next(count) }];
    case "<=":
      return [count === 3 ? { op: "<=", version: low } : { op: "<", version: next(count) }];
    case ">=":
    case "<":
      return [{ op, version: low }];
    default:
      return count === 3
        ? [{ op: "=", version: low }]
        : [
            { op: ">=", version: low },
            { op: "<", version: next(count) },
          ];
  }
}

export interface Range {
  /** Any one set satisfied is enough (`||`); within a set, every comparator must hold. */
  sets: Comparator[][];
}

/** An npm range, or undefined when `text` is not one (a dist-tag such as `latest` or `next`). */
export function parseRange(text: string): Range | undefined {
  const sets: Comparator[][] = [];
  for (const alternative of text.trim().split("||")) {
    // A hyphen range: `1.2 - 2`.
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alternative);
    const terms = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alternative
          .trim()
          .replace(/(<=|>=|<|>|=|\^|~)\s+/g, "$1")
          .split(/\s+/);
    const set: Comparator[] = [];
    for (const term of terms) {
      const parsed = comparators(term);
      if (!parsed) return undefined;
      set.push(...parsed);
    }
    sets.push(set);
  }
  return { sets };
}

function holds(comparator: Comparator, version: Version): boolean {
  const order = compareVersions(version, comparator.version);
  switch (comparator.op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    default:
      return order === 0;
  }
}

export function satisfies(version: Version, range: Range): boolean {
  return range.sets.some((set) => {
    if (!set.every((comparator) => holds(comparator, version))) return false;
    if (version.prerelease.length === 0) return true;
    // npm's rule: a prerelease only through a comparator naming a prerelease of the same major.minor.patch.
    return set.some(
      (comparator) =>
        comparator.version.prerelease.length > 0 &&
        comparator.version.prerelease[0] !== "0" &&
        comparator.version.major === version.major &&
        comparator.version.minor === version.minor &&
        comparator.version.patch === version.patch,
    );
  });
}

/** The highest of `versions` in `range` (any when no range); prereleases only if `withPrereleases`. */
export function highest(versions: readonly Version[], range?: Range, withPrereleases = false): Version | undefined {
  let best: Version | undefined;
  for (const version of versions) {
    if (range ? !satisfies(version, range) : version.prerelease.length > 0 && !withPrereleases) continue;
    if (!best || compareVersions(version, best) > 0) best = version;
  }
  return best;
}
