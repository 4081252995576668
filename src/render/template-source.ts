/**
 * Where templates come from: a stack of folders ("layers") searched file by file, first match wins
 * (docs/templates.md). A team pack's folders are interleaved with the built-in ones (template-pack.ts), so a
 * pack file overrides only the built-in file at the same place and inherits the rest.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { BUILTIN_TEMPLATES, builtinSources } from "./builtin-sources.js";
import { UsageError } from "../errors.js";
import { layerFiles } from "./layer-files.mjs";
import { outputPath } from "./output-path.js";
import type { Schema } from "../tables/schemas.js";
import type { Target } from "../tables/targets.js";

/**
 * A template precompiled by `Handlebars.precompile()` (its TemplateSpecification), as an object: declared
 * here so the library's types need no Handlebars types.
 */
type PrecompiledTemplate = object;

export interface TemplateLayer {
  /** How messages name the layer: "base", "express", "schemas/zod", "team pack". */
  name: string;
  root: string;
  /**
   * The layer's files already in memory (a team pack, read once through pack-tree.ts): when present, the
   * disk under `root` is not read again.
   */
  files?: ReadonlyMap<string, Buffer>;
  /** Which of `files` are executable (a team pack's `bin/run.sh`); the built-in templates have none. */
  executable?: ReadonlySet<string>;
  /**
   * For a team pack's layer: the built-in layer at the same level. A pack file byte-identical to the
   * built-in file at the same place (a pack made by `template init` is mostly such copies) renders with the
   * built-in's compiled template: the same output, without loading and running the Handlebars compiler.
   */
  sameLevel?: TemplateLayer;
}

export interface TemplateFile {
  /** Path inside the layer, with forward slashes: "src/index.ts.hbs". */
  path: string;
  layer: string;
  contents: Buffer;
  /** The file is executable in its pack: what it renders to is written executable (0755). */
  executable?: boolean;
  /**
   * The template precompiled by Handlebars at build time (built-in templates only, scripts/build.mjs), so
   * only Handlebars' runtime is loaded to render it, not its compiler.
   */
  compiled?: PrecompiledTemplate;
}

export interface TemplateSet {
  /** One entry per output file: the topmost layer's version of each path. */
  files: TemplateFile[];
  /** Partials by name ("readme-usage"), topmost layer first. */
  partials: Map<string, TemplateFile>;
}

const PARTIALS_DIR = "_partials";

export { BUILTIN_TEMPLATES };

/** What picks a package's layers: its target, schema and starter. */
export interface LayerChoice {
  target: Target;
  schema: Schema;
  /** A built-in starter, or a team pack's own (starters.ts). */
  starter: string;
}

/**
 * The levels of a package's templates, most specific first: schema, starter, target, base
 * (docs/templates.md, "Layers"). Each is a folder of the built-in tree and, optionally, of a team pack.
 */
export function layerLevels(choice: LayerChoice): string[] {
  return [`schemas/${choice.schema}`, `starters/${choice.target}/${choice.starter}`, choice.target, "base"];
}

/** A built-in layer as the build embedded it: path -> precompiled template, or contents (base64) to copy. */
type EmbeddedLayer = Record<string, { compiled?: PrecompiledTemplate; contents?: string }>;

/** A built-in layer's level ("base", "schemas/zod"), from its place under templates/; undefined for any other. */
function builtInLevel(layer: TemplateLayer): string | undefined {
  const relativeRoot = path.relative(BUILTIN_TEMPLATES, layer.root);
  if (relativeRoot === "" || relativeRoot.startsWith("..") || path.isAbsolute(relativeRoot)) return undefined;
  return relativeRoot.split(path.sep).join("/");
}

/**
 * dist/templates/<layer>.cjs, written by scripts/build.mjs beside the built code; loaded with require(),
 * which is synchronous and cheap. Running from src/ (tests, tsx) there is none, and the templates are read
 * from disk instead.
 */
function embeddedLayer(layer: TemplateLayer): Map<string, TemplateFile> | undefined {
  const level = builtInLevel(layer);
  if (level === undefined) return undefined;
  const modulePath = path.join(import.meta.dirname, "templates", `${level}.cjs`);
  if (!existsSync(modulePath)) return undefined;
  const embedded = createRequire(import.meta.filename)(modulePath) as EmbeddedLayer;
  const files = new Map<string, TemplateFile>();
  for (const [relative, file] of Object.entries(embedded)) {
    files.set(relative, {
      path: relative,
      layer: layer.name,
      contents: Buffer.from(file.contents ?? "", "base64"),
      ...(file.compiled === undefined ? {} : { compiled: file.compiled }),
    });
  }
  return files;
}

/** Whether the built-in template at `relative` (under templates/) holds exactly `contents`. */
function sameAsBuiltIn(relative: string, contents: Buffer): boolean {
  return builtinSources().get(relative)?.equals(contents) ?? false;
}

/**
 * A file of one layer where another layer has a folder (a pack's `base/example` beside a starter's
 * `example/server.ts`) cannot both be written, and neither is more specific than the other: refused,
 * naming both, rather than one silently dropped.
 */
function refuseFileOverFolder(files: ReadonlyMap<string, TemplateFile>): void {
  for (const [output, file] of files) {
    for (let slash = output.indexOf("/"); slash !== -1; slash = output.indexOf("/", slash + 1)) {
      const blocking = files.get(output.slice(0, slash));
      if (!blocking) continue;
      throw new UsageError(
        `Template files collide: ${blocking.layer}/${blocking.path} is a file named ${output.slice(0, slash)}, and ${file.layer}/${file.path} needs a folder of that name. ` +
          "Rename or remove one of them in the pack.",
      );
    }
  }
}

/** Reads every layer and resolves which version of each file and partial wins. */
export function loadTemplateSet(layers: readonly TemplateLayer[]): TemplateSet {
  const files = new Map<string, TemplateFile>();
  const partials = new Map<string, TemplateFile>();
  for (const layer of layers) {
    const builtIn = layer.files ? undefined : embeddedLayer(layer);
    const twin = layer.files && layer.sameLevel ? embeddedLayer(layer.sameLevel) : undefined;
    const relatives = layer.files ? [...layer.files.keys()].sort() : builtIn ? [...builtIn.keys()].sort() : layerFiles(layer.root);
    for (const relative of relatives) {
      const isPartial = relative.startsWith(`${PARTIALS_DIR}/`);
      // Files by where they land: a pack's plain README.md and the built-in README.md.hbs are one file.
      const key = isPartial ? relative.slice(PARTIALS_DIR.length + 1).replace(/\.hbs$/, "") : outputPath(relative);
      const target = isPartial ? partials : files;
      const claimed = target.get(key);
      if (claimed && claimed.layer === layer.name) {
        throw new UsageError(
          `The templates of ${layer.name} have two files for ${key}: ${claimed.path} and ${relative}. Keep one of them (a .hbs file is rendered, any other is copied).`,
        );
      }
      if (claimed) continue; // a higher layer already provides it
      const file = builtIn?.get(relative) ?? {
        path: relative,
        layer: layer.name,
        contents: layer.files?.get(relative) ?? readFileSync(path.join(layer.root, relative)),
        ...(layer.executable?.has(relative) ? { executable: true } : {}),
      };
      const twinFile = twin?.get(relative);
      if (twinFile?.compiled !== undefined && layer.sameLevel && sameAsBuiltIn(`${builtInLevel(layer.sameLevel)}/${relative}`, file.contents)) {
        target.set(key, { ...file, compiled: twinFile.compiled });
        continue;
      }
      target.set(key, file);
    }
  }
  refuseFileOverFolder(files);
  // Code-point order: stable across locales, and localeCompare would load ICU's collator (~15 ms).
  const byPath = (a: TemplateFile, b: TemplateFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: [...files.values()].sort(byPath), partials };
}
