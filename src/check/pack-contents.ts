/**
 * The packaging rules for a generated package, checked on the output of `npm pack --dry-run --json`. Pure.
 */

export const REQUIRED_FILES = ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"] as const;
const FORBIDDEN_FOLDERS = ["src", "test", "example"] as const;

/** The file paths listed by `npm pack --dry-run --json` (an array with one entry per packed package). */
export function packedFiles(stdout: string): string[] {
  // npm may print lifecycle noise before the JSON; the document starts at the first "[".
  const start = stdout.indexOf("[");
  if (start === -1) throw new Error("npm pack printed no JSON");
  const parsed = JSON.parse(stdout.slice(start)) as Array<{ files?: Array<{ path: string }> }>;
  const entry = parsed[0];
  if (!entry || !Array.isArray(entry.files)) throw new Error("npm pack JSON has no file list");
  return entry.files.map((file) => file.path.split("\\").join("/")).sort();
}

/** What is wrong with the tarball's contents; empty when nothing is. */
export function packProblems(files: readonly string[]): string[] {
  const problems: string[] = [];
  const missing = REQUIRED_FILES.filter((required) => !files.includes(required));
  if (missing.length > 0) problems.push(`missing from the tarball: ${missing.join(", ")}`);
  const stray = files.filter((file) => FORBIDDEN_FOLDERS.some((folder) => file.startsWith(`${folder}/`)));
  if (stray.length > 0) problems.push(`must not be published: ${stray.join(", ")}`);
  return problems;
}
