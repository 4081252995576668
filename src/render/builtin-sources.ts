/**
 * The built-in templates as files, byte for byte: what `template init` copies, and what a team pack's file
 * is compared with to know it for an unchanged copy (template-source.ts). Scaffolding never reads them: it
 * renders the layers compiled at build time. From src/ they are the templates/ folder; the published package
 * carries them as one file, dist/templates/sources.json (scripts/build.mjs), so a first `npx` unpacks one
 * file instead of some 150.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The package's root: the nearest folder above this code (dist/ when built, src/render/ from source) with a package.json. */
function packageRoot(from: string): string {
  const parent = path.dirname(from);
  return existsSync(path.join(from, "package.json")) || parent === from ? from : packageRoot(parent);
}

/** The templates folder: beside src/ in the repository (the layers' roots name their places in it). */
export const BUILTIN_TEMPLATES = path.join(packageRoot(import.meta.dirname), "templates");

/** Written by scripts/build.mjs: template path ("base/README.md.hbs") -> its text. */
const SOURCES_FILE = "templates/sources.json";

let sources: ReadonlyMap<string, Buffer> | undefined;

function fromTemplatesFolder(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(BUILTIN_TEMPLATES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files.set(path.relative(BUILTIN_TEMPLATES, absolute).split(path.sep).join("/"), readFileSync(absolute));
  }
  return files;
}

/** Every file of the built-in templates, by its path under templates/ ("schemas/zod/src/options.ts.hbs"). */
export function builtinSources(): ReadonlyMap<string, Buffer> {
  if (sources) return sources;
  const bundled = path.join(import.meta.dirname, SOURCES_FILE);
  if (existsSync(bundled)) {
    const texts = JSON.parse(readFileSync(bundled, "utf8")) as Record<string, string>;
    sources = new Map(Object.entries(texts).map(([relative, text]) => [relative, Buffer.from(text, "utf8")]));
  } else {
    sources = fromTemplatesFolder();
  }
  return sources;
}
