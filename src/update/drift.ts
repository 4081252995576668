/**
 * `create-middleware diff`, as a library: what the package changed against the templates it was made from
 * (its base, found as `update` finds it: update.ts findBase), file by file, read-only. The drift check a
 * team runs in CI: a package whose generated files were edited by hand shows here. Files the templates
 * never produced (the user's own modules, a lockfile) are not drift and are not listed; the answers file is
 * the record, not a template file.
 */
import path from "node:path";
import { ANSWERS_FILE } from "../answers/answers-file.js";
import { fileDiff } from "../write/file-diff.js";
import { redactSource } from "../packs/source-spec.js";
import { inferPackageManager, renderNext } from "./both-renders.js";
import { findBase, readRecord, readYours, type BaseSource, type UpdateOptions } from "./update.js";

interface Drift {
  path: string;
  change: "modified" | "deleted" | "not a file";
  /** The unified diff from the template's file to yours ("" for a path that is not a regular file). */
  diff: string;
}

/** `diff --template <source>`: the package's answers rendered with that pack source or version instead of its base. */
interface TemplateBase {
  kind: "template";
  /** The source as given (relative to where the command runs), without credentials. */
  source: string;
  /** What it resolved to (an npm version, a git commit, a folder's hash); null for the built-in templates. */
  resolved: string | null;
}

export interface DriftReport {
  directory: string;
  packageName: string;
  base: BaseSource | TemplateBase;
  files: Drift[];
}

/**
 * What the package changed against its base; with `template`, against the render of its answers with that
 * pack source or version instead (cruft's `diff --checkout`): which of its changes another version would
 * still show, or what moving to it would undo.
 */
export async function packageDrift(
  options: Pick<UpdateOptions, "directory" | "offline" | "env" | "template" | "cwd" | "userAgent">,
): Promise<DriftReport> {
  const directory = path.resolve(options.directory);
  const { bytes, record } = readRecord(directory);
  let against: { source: DriftReport["base"]; files: ReadonlyMap<string, Buffer> };
  if (options.template !== undefined) {
    // No base is needed: the package manager the README names is read from the package's own README.
    const readme = readYours(directory, ["README.md"]).get("README.md") ?? undefined;
    const pm = inferPackageManager(directory, readme, options.userAgent ?? process.env.npm_config_user_agent);
    const rendered = await renderNext(
      record,
      directory,
      { template: options.template, pm },
      { cwd: options.cwd ?? process.cwd(), offline: options.offline ?? false },
    );
    against = {
      source: { kind: "template", source: redactSource(options.template), resolved: rendered.resolved },
      files: new Map(rendered.files.map((file) => [file.path, file.contents])),
    };
  } else {
    const { base } = await findBase(directory, record, bytes, options);
    against = { source: base.source, files: base.files };
  }
  const paths = [...against.files.keys()].filter((file) => file !== ANSWERS_FILE).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const yours = readYours(directory, paths);
  const files: Drift[] = [];
  for (const file of paths) {
    const template = against.files.get(file)!;
    const mine = yours.get(file);
    if (mine === null) files.push({ path: file, change: "not a file", diff: "" });
    else if (mine === undefined)
      files.push({ path: file, change: "deleted", diff: await fileDiff(template, undefined, { old: `a/${file}`, new: "/dev/null" }) });
    else if (!mine.equals(template))
      files.push({ path: file, change: "modified", diff: await fileDiff(template, mine, { old: `a/${file}`, new: `b/${file}` }) });
  }
  return { directory, packageName: record.answers.packageName, base: against.source, files };
}
