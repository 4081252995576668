/**
 * A team's template pack (--template): a folder laid out like the built-in templates (base/, express/,
 * socket.io/, schemas/<schema>/), each part optional. Its layers go on top of the built-in ones, so a pack
 * overrides single files and inherits the rest.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";
import { packFolder, readPackTree } from "./pack-tree.js";
import type { Schema } from "./schemas.js";
import { TARGETS, type Target } from "./targets.js";
import { treeLayers, type TemplateLayer } from "./template-source.js";

/** The top-level folders a pack may have: the layers of the built-in templates. */
const PACK_FOLDERS = ["base", ...TARGETS, "schemas"];

export function resolveTemplatePack(source: string, cwd: string): string {
  const root = path.resolve(cwd, source);
  const info = statSync(root, { throwIfNoEntry: false });
  if (!info) {
    throw new UsageError(
      `Template pack "${source}" was not found (looked for the folder ${root}). ` +
        "Point --template at a folder; `create-middleware template init <dir>` starts one.",
    );
  }
  if (!info.isDirectory()) {
    throw new UsageError(`Template pack "${source}" is not a folder. Packed (.tgz) and npm packs are not supported yet: unpack it first.`);
  }
  const entries = readdirSync(root);
  if (!entries.some((entry) => PACK_FOLDERS.includes(entry))) {
    throw new UsageError(
      `Template pack "${source}" has none of the folders ${PACK_FOLDERS.join(", ")}. ` +
        "A pack mirrors the built-in templates layout; `create-middleware template init <dir>` shows it.",
    );
  }
  return root;
}

/**
 * The pack's layers, read into memory through readPackTree: a pack is untrusted input, so no symbolic link
 * is followed and nothing outside its real root is read (pack-tree.ts).
 */
export function templatePackLayers(source: string, cwd: string, target: Target, schema: Schema): TemplateLayer[] {
  const tree = readPackTree(resolveTemplatePack(source, cwd), `Template pack "${source}"`);
  return treeLayers(tree.root, target, schema, "team pack/").map((layer) => ({
    ...layer,
    files: packFolder(tree, path.relative(tree.root, layer.root).split(path.sep).join("/")),
  }));
}
