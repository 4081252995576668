/**
 * `create-middleware outdated`, as a library: is the package behind its templates, and what changed?
 * Read-only. The templates changed when the render the package started from (its base, see update.ts)
 * differs from the render the current create-middleware and pack would make with the same answers; the
 * answers file is part of both, so a new create-middleware or pack version alone counts as a change.
 * When no base can be found, the versions alone decide, and `changes` is null.
 */
import { CLI_VERSION } from "../version.js";
import { FailedError } from "../errors.js";
import { packVersions, type PackVersions } from "./pack-versions.js";
import { inferPackageManager, renderNext } from "./both-renders.js";
import { MissingBaseError, planUpdate, readRecordOf, type BaseSource, type TemplateChange, type UpdateOptions } from "./update.js";

export interface OutdatedReport {
  directory: string;
  packageName: string;
  outdated: boolean;
  from: { createMiddleware: string; template: string | null };
  to: { createMiddleware: string; template: string | null };
  /** What the templates changed, file by file; null when the package's base could not be found. */
  changes: TemplateChange[] | null;
  base: BaseSource | null;
  /** Why `changes` is null. */
  note: string | undefined;
  /** The pack's versions, as `npm outdated` shows them (npm and git packs; null otherwise). */
  versions: PackVersions | null;
}

export async function checkOutdated(options: Pick<UpdateOptions, "directory" | "offline" | "env" | "template" | "cwd">): Promise<OutdatedReport> {
  const { directory, record } = readRecordOf(options.directory);
  let offline = options.offline ?? false;
  const answer = await packVersions(record, directory, { offline });
  if (answer.kind === "unreachable" && !offline) {
    throw new FailedError(
      `Cannot tell whether the template pack ${record.template?.source ?? ""} has newer versions: ${answer.reason}, and the cache holds no earlier answer. ` +
        "Run outdated again when the registry (or the repository) is reachable.",
    );
  }
  const versions = answer.kind === "versions" ? answer.versions : null;
  // Answered from the cache: the registry or remote is down, so the renders take the pack from the cache too.
  if (versions?.cachedAt) offline = true;
  try {
    const plan = await planUpdate({ ...options, offline }, { requireClean: false, refuseMarkers: false });
    return {
      directory: plan.directory,
      packageName: plan.record.answers.packageName,
      outdated: plan.templateChanges.length > 0 || (versions?.behind ?? false),
      from: plan.from,
      to: plan.to,
      changes: plan.templateChanges,
      base: plan.base,
      note: undefined,
      versions,
    };
  } catch (error) {
    if (!(error instanceof MissingBaseError)) throw error;
    // Without a base, compare versions: the next render still says which versions are current.
    const pm = inferPackageManager(directory, undefined, process.env.npm_config_user_agent);
    const changes = options.template !== undefined ? { pm, template: options.template } : { pm };
    const next = await renderNext(record, directory, changes, { cwd: options.cwd ?? process.cwd(), offline });
    const from = { createMiddleware: record.createMiddleware, template: record.template?.resolved ?? null };
    const to = { createMiddleware: CLI_VERSION, template: next.resolved };
    return {
      directory,
      packageName: record.answers.packageName,
      outdated: from.createMiddleware !== to.createMiddleware || from.template !== to.template || (versions?.behind ?? false),
      from,
      to,
      changes: null,
      base: null,
      note: error.message.split("\n")[0],
      versions,
    };
  }
}
