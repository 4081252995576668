// @ts-check
/**
 * The files of one template layer folder, as paths inside it with forward slashes, in code-point order;
 * none when the folder does not exist. Plain JavaScript, so scripts/build.mjs (which embeds the built-in
 * layers into dist/) lists a layer exactly as the CLI does when it reads one from disk (template-source.ts).
 */
import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * Synchronous: a layer is a handful of small files, read once.
 * @param {string} root
 * @returns {string[]}
 */
export function layerFiles(root) {
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return [];
    throw error;
  }
  // Code-point order: stable across locales, and localeCompare would load ICU's collator.
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}
