/**
 * `--vars-file answers.json`: several answers to a pack's questions at once, a JSON object of
 * key -> value (text, number, true/false, or a list for a multiselect). Untrusted input like the team
 * config: a regular file only, bounded in size, keys checked as --var's are; the values are then checked
 * against the pack's questions like any --var.
 */
import path from "node:path";
import { UsageError } from "../errors.js";
import { parseVarFlags } from "../packs/questions.js";
import { readUserFile } from "../system/read-user-file.js";

/** An answers file of a few questions is a few hundred bytes; anything near this is not one. */
const MAX_BYTES = 256 * 1024;

/** The file's answers as --var texts would give them (key -> text), to be merged under the --var flags. */
export function readVarsFile(file: string, cwd: string): Record<string, string> {
  const full = path.resolve(cwd, file);
  const bytes = readUserFile(full, { what: `--vars-file ${file}:`, limit: MAX_BYTES });
  if (bytes === undefined)
    throw new UsageError(`--vars-file ${file}: cannot read ${full} (it does not exist). Point it at a JSON file of answers: {"region": "eu"}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new UsageError(`--vars-file ${file} is not valid JSON (${(error as Error).message}). Expected an object of answers: {"region": "eu"}.`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(
      `--vars-file ${file} must hold a JSON object of answers ({"region": "eu"}), not ${Array.isArray(parsed) ? "a list" : JSON.stringify(parsed)}.`,
    );
  }
  const specs = Object.entries(parsed as Record<string, unknown>).map(([key, value]) => {
    const text =
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : Array.isArray(value) && value.every((item) => typeof item === "string" && !item.includes(","))
          ? value.join(",")
          : undefined;
    if (text === undefined)
      throw new UsageError(`--vars-file ${file}: the answer to "${key}" must be text, a number, true/false or a list of texts.`);
    return `${key}=${text}`;
  });
  return parseVarFlags(specs);
}
