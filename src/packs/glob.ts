/**
 * The globs of pack.json's `exclude` and `skipIfExists`, matched against a file's path in the package
 * (`src/index.ts`, `.github/workflows/ci.yml`): `*` any characters but `/`, `**` any folders (`**` alone,
 * or `**\/` at a segment's start), `?` one character but `/`; a pattern without `/` matches the file name
 * in any folder, as in .gitignore. The patterns come from a pack (untrusted), so their size is bounded
 * where they are read (manifest.ts), and the regular expression built here has no ambiguous repetition
 * (each repeated folder group ends at a "/").
 */

const special = /[.+^${}()|[\]\\]/g;

function toRegExp(pattern: string): RegExp {
  const anchored = pattern.includes("/") ? pattern.replace(/^\//, "") : `**/${pattern}`;
  let source = "";
  for (let index = 0; index < anchored.length; index++) {
    const char = anchored[index]!;
    if (char === "*" && anchored[index + 1] === "*") {
      const slash = anchored[index + 2] === "/";
      source += slash ? "(?:[^/]*/)*" : ".*";
      index += slash ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(special, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Whether `file` (a path in the package, forward slashes) matches any of `patterns`. */
export function matchesAnyGlob(patterns: readonly string[] | undefined, file: string): boolean {
  return (patterns ?? []).some((pattern) => toRegExp(pattern).test(file));
}
