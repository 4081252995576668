/**
 * The shape of src/ that CONTRIBUTING.md describes, kept true: no import circles (type imports count too:
 * a circle is a knot for a reader either way), no import from a lower layer up to a higher one, and at most
 * ten files loose in src/ (the rest live in the folder of their capability).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const SRC = path.join(import.meta.dirname, "..", "..", "src");

/** Layers, lowest first; a module may import its own layer and those below. */
const LAYERS: readonly (readonly string[])[] = [
  // The create path's capabilities, and what they share.
  ["errors", "version", "tables", "answers", "system", "packs", "render", "write", "workspace"],
  // The library's create operation.
  ["create"],
  // The lifecycle and CI features built on it.
  ["update", "check"],
  // The CLI's commands and the library's public entry.
  ["commands", "index"],
  ["cli"],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.mts") ? [full] : [];
  });
}

/** Every relative import of a file (static, type-only and dynamic), resolved to a file of src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^import\s[^;]*?from\s+|^export\s[^;]*?from\s+|import\()["'](\.{1,2}\/[^"']+)["']/gms)) {
    let target = path.resolve(path.dirname(file), match[1] as string);
    if (target.endsWith(".js") && !existsSync(target)) target = `${target.slice(0, -3)}.ts`;
    if (target.startsWith(SRC + path.sep) && existsSync(target)) found.push(target);
  }
  return found;
}

/** "render" for src/render/plan.ts, "create" for src/create.ts. */
function unitOf(file: string): string {
  const [first = "", ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length > 0 ? first : first.replace(/\.[^.]+$/, "");
}

const rank = (unit: string) => LAYERS.findIndex((layer) => layer.includes(unit));
const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const shown = (file: string) => path.relative(SRC, file);

describe("the architecture of src/", () => {
  it("every folder and loose file has a layer", () => {
    const units = [...new Set(files.map(unitOf))];
    assert.deepEqual(
      units.filter((unit) => rank(unit) < 0),
      [],
      "add it to LAYERS (and to CONTRIBUTING.md)",
    );
  });

  it("has no import from a lower layer up to a higher one", () => {
    const upward = files.flatMap((file) =>
      (graph.get(file) ?? []).filter((target) => rank(unitOf(target)) > rank(unitOf(file))).map((target) => `${shown(file)} -> ${shown(target)}`),
    );
    assert.deepEqual(upward, []);
  });

  it("has no import circle", () => {
    const circles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, stack: string[]) => {
      if (stack.includes(file)) {
        circles.push([...stack.slice(stack.indexOf(file)), file].map(shown).join(" -> "));
        return;
      }
      if (done.has(file)) return;
      for (const target of graph.get(file) ?? []) visit(target, [...stack, file]);
      done.add(file);
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(circles, []);
  });

  it("keeps at most ten files loose in src/", () => {
    const loose = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isFile());
    assert.ok(loose.length <= 10, `loose in src/: ${loose.map((entry) => entry.name).join(", ")}`);
  });

  it("gives two files one name only for a command and the operation it runs (commands/update.ts, update/update.ts)", () => {
    const byName = new Map<string, string[]>();
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file).split(path.sep).join("/");
      byName.set(path.basename(file), [...(byName.get(path.basename(file)) ?? []), relative]);
    }
    const clashes = [...byName.values()].filter(
      (files) => files.length > 1 && !(files.length === 2 && files.some((file) => file.startsWith("commands/"))),
    );
    assert.deepEqual(clashes, [], "rename one of each: a newcomer searching for a file name should find one meaning");
  });
});
