/**
 * Answers + templates -> the complete list of files to write, rendered in memory. Nothing is written here:
 * if any template fails, the caller gets an error and the disk is untouched.
 */
import path from "node:path";
import { UsageError } from "../errors.js";
import { outputPath } from "./output-path.js";
import { assertRunsNothingOnInstall } from "./install-time-code.js";
import { describeCharacter, forbiddenCharacter, visible } from "../answers/text-rules.js";
import { createRenderer, TemplateError } from "./render.js";
import { renderedSizeProblem } from "./render-budget.js";
import type { TemplateData } from "./template-data.js";
import type { TemplateSet } from "./template-source.js";

export interface PlannedFile {
  /** Path inside the package, forward slashes: ".github/workflows/ci.yml". */
  path: string;
  contents: Buffer;
  /** The template it came from: "express/src/index.ts.hbs". */
  source: string;
  /** Written executable (0755): its template is executable in the pack (`bin/run.sh`). */
  executable?: boolean;
}

export { outputPath };

// Code points HFS+ ignores in file names, so ".g\u200cit" is ".git" there (the list git itself checks).
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * Whether a file system could take `segment` for `.git`: any case (case-insensitive file systems), trailing
 * dots and spaces (dropped by Windows), an NTFS stream suffix (`.git::$INDEX_ALLOCATION`), the 8.3 short name
 * `git~1`, and the code points HFS+ ignores.
 */
function isGitDirectoryName(segment: string): boolean {
  const name = segment
    .replace(HFS_IGNORED, "")
    .toLowerCase()
    .replace(/:.*$/, "")
    .replace(/[. ]+$/, "");
  return name === ".git" || name === "git~1";
}

/**
 * Refuses any path that could land outside the package directory, whatever a template or name says, and
 * any path into a `.git` folder: a pack that wrote `.git/config` could make the user's next `git status`
 * run a command of its choosing (core.fsmonitor).
 */
export function assertSafeRelativePath(relative: string): void {
  const segments = relative.split(/[\\/]/);
  const gitSegment = segments.find(isGitDirectoryName);
  if (gitSegment !== undefined) {
    throw new UsageError(`Refusing to write "${relative}": no template may write into a .git folder ("${gitSegment}" is one on some file systems).`);
  }
  // A file name with a newline, an escape sequence or a bidirectional override is never meant, and would
  // garble every listing of the package (git status, the --dry-run plan, a terminal).
  const control = forbiddenCharacter(relative.replace(/\0/g, ""));
  if (control !== undefined) {
    throw new UsageError(`Refusing to write ${visible(relative)}: a file name may not contain the control character ${describeCharacter(control)}.`);
  }
  if (
    relative === "" ||
    path.isAbsolute(relative) ||
    path.win32.isAbsolute(relative) ||
    relative.includes("\\") ||
    relative.includes("\0") ||
    // Windows drops trailing dots and spaces, so ".. " and "..." are ".." and "." there.
    segments.some((segment) => /^[. ]*$/.test(segment))
  ) {
    throw new UsageError(`Refusing to write "${relative}": template paths must stay inside the package directory.`);
  }
}

/** package.json as npm lays it out (two spaces, a final newline), whatever the template's whitespace. */
export function normalizePackageJson(text: string, source: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch (error) {
    throw new UsageError(`Template ${source} did not render valid JSON: ${(error as Error).message}`);
  }
}

export async function renderPlan(templates: TemplateSet, data: TemplateData): Promise<PlannedFile[]> {
  const renderer = await createRenderer(templates);
  const files = templates.files.map((file) => {
    const relative = outputPath(file.path);
    const source = `${file.layer}/${file.path}`;
    assertSafeRelativePath(relative);
    const mode = file.executable ? { executable: true } : {};
    if (!file.path.endsWith(".hbs")) return { path: relative, contents: file.contents, source, ...mode };
    let text = renderer.render(file, data);
    const tooLarge = renderedSizeProblem(text);
    if (tooLarge !== undefined) throw new TemplateError(source, undefined, tooLarge);
    // package.json is rebuilt from its parsed form, so its layout is npm's (two spaces, a final newline) whatever
    // a template's whitespace; the template must still produce valid JSON, commas included.
    if (relative === "package.json") text = normalizePackageJson(text, source);
    return { path: relative, contents: Buffer.from(text, "utf8"), source, ...mode };
  });
  assertRunsNothingOnInstall(files);
  return files;
}
