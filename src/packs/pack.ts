/**
 * A loaded team pack as the rest of the CLI sees it, and what needs nothing but its description: how the
 * answers file records its source, and whether it supports a target and schema. Kept apart from
 * load-pack.ts (hashing, tar, fetchers), which a scaffold without a pack never loads.
 */
import path from "node:path";
import { UsageError } from "../errors.js";
import type { PackTree } from "./pack-tree.js";
import type { PackManifest } from "./manifest.js";
import { redactSource, type PackSource } from "./source-spec.js";

export interface LoadedPack {
  source: PackSource;
  /** The folder the source was resolved from (cwd, a config file's folder, an answers file's folder). */
  base: string;
  tree: PackTree;
  /** Undefined when the pack has no pack.json. */
  manifest: PackManifest | undefined;
  /** npm version, git commit, or sha256 of the files. */
  resolved: string;
  fromCache: boolean;
  /**
   * Set when the source came from a replayed answers file: recorded again exactly as it was written, so a
   * replay is byte for byte wherever it runs and wherever the new copy goes (`recordedSource` would make a
   * local path relative to the new package instead).
   */
  replayedSource?: string;
}

/**
 * The source as the answers file records it: a local path relative to `directory` (the package), so
 * `--answers <package>/.create-middleware.json` finds it again; anything else as given.
 */
export function recordedSource(pack: Pick<LoadedPack, "source" | "base" | "replayedSource">, directory: string): string {
  if (pack.replayedSource !== undefined) return pack.replayedSource;
  const relative = (absolute: string) => {
    const text = path.relative(directory, absolute).split(path.sep).join("/") || ".";
    return text.startsWith(".") ? text : `./${text}`;
  };
  const { source } = pack;
  if (source.kind === "folder" || source.kind === "tarball") return relative(source.path);
  if (source.kind === "git" && path.isAbsolute(source.url)) {
    const folder = source.subfolder ? `::path:${source.subfolder}` : "";
    return `${relative(source.url)}${source.ref || folder ? `#${source.ref ?? ""}` : ""}${folder}`;
  }
  if (source.kind === "npm" && source.spec.startsWith("file:")) return `npm:file:${relative(path.resolve(pack.base, source.spec.slice(5)))}`;
  return redactSource(source.given);
}

/** Refuses a target or schema the pack's manifest does not list. */
export function assertPackSupports(pack: LoadedPack, target: string, schema: string): void {
  const manifest = pack.manifest;
  if (manifest?.targets && !manifest.targets.includes(target)) {
    throw new UsageError(
      `Template pack "${redactSource(pack.source.given)}" supports the targets ${manifest.targets.join(", ")}, not ${target}. Choose one with --target.`,
    );
  }
  if (manifest?.schemas && !manifest.schemas.includes(schema)) {
    throw new UsageError(
      `Template pack "${redactSource(pack.source.given)}" supports the schemas ${manifest.schemas.join(", ")}, not ${schema}. Choose one with --schema.`,
    );
  }
}
