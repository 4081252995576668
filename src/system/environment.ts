/** Facts from outside the answers that templates use: the author and the year. */
import os from "node:os";
import path from "node:path";
import { readUserFile } from "./read-user-file.js";
import type { Environment } from "../render/template-data.js";

/** The config files `git config` reads for a global value, lowest precedence first. */
export function gitConfigFiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  const files: string[] = [];
  if (!env.GIT_CONFIG_NOSYSTEM) files.push(env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig");
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else files.push(path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "git", "config"), path.join(home, ".gitconfig"));
  return files;
}

/**
 * A value as git reads it (config.c, parse_value): leading blanks dropped; `#` and `;` start a comment
 * outside double quotes only; quotes are removed and protect blanks and comment characters; `\"`, `\\`,
 * `\n`, `\t`, `\b` are escapes and a backslash at the end of a line continues the value on the next line;
 * a run of blanks outside quotes is kept as that many spaces, except at the end. Returns the value and the
 * index after its line; undefined when git would call the line invalid (an open quote, a bad escape).
 */
function parseValue(text: string, start: number): { value: string; end: number } | undefined {
  let value = "";
  let quote = false;
  let comment = false;
  let spaces = 0;
  let index = start;
  for (;;) {
    if (index >= text.length) return quote ? undefined : { value, end: index };
    let char = text[index++]!;
    if (char === "\r" && text[index] === "\n") char = text[index++]!;
    if (char === "\n") return quote ? undefined : { value, end: index };
    if (comment) continue;
    if (!quote && /[ \t\v\f\r]/.test(char)) {
      if (value.length > 0) spaces += 1;
      continue;
    }
    if (!quote && (char === "#" || char === ";")) {
      comment = true;
      continue;
    }
    value += " ".repeat(spaces);
    spaces = 0;
    if (char === "\\") {
      let next = text[index++];
      if (next === "\r" && text[index] === "\n") next = text[index++];
      if (next === "\n") continue;
      const escapes: Record<string, string> = { t: "\t", b: "\b", n: "\n", "\\": "\\", '"': '"' };
      if (next === undefined || escapes[next] === undefined) return undefined;
      value += escapes[next];
      continue;
    }
    if (char === '"') {
      quote = !quote;
      continue;
    }
    value += char;
  }
}

/**
 * `user.name` from git config text, following git's own syntax: the last `name` in a `[user]` section
 * (not `[user "sub"]`, which is another key), or undefined when absent. Returns null when the file
 * includes others, or has something this reader does not follow, which only git itself can resolve.
 */
export function userNameFromConfig(text: string): string | undefined | null {
  let section = "";
  let name: string | undefined;
  let index = 0;
  while (index < text.length) {
    const lineEnd = text.indexOf("\n", index) === -1 ? text.length : text.indexOf("\n", index);
    const rest = text.slice(index, lineEnd);
    const trimmed = rest.trimStart();
    const header = /^\[\s*([A-Za-z0-9.-]+)(\s+"(?:[^"\\]|\\.)*")?\s*\]/.exec(trimmed);
    if (header) {
      const base = header[1]!.toLowerCase();
      if (base === "include" || base === "includeif") return null;
      // `[user.sub]` (old syntax) and `[user "sub"]` are subsections: not user.name.
      section = header[2] === undefined ? base : `${base} "sub"`;
      const after = trimmed.slice(header[0].length).trimStart();
      // A key on the header's line ("[user] name = x") is legal; hand such files to git.
      if (after !== "" && !/^[#;]/.test(after)) return null;
      index = lineEnd + 1;
      continue;
    }
    const key = /^([A-Za-z][A-Za-z0-9-]*)\s*(=?)/.exec(trimmed);
    if (key && key[1]!.toLowerCase() === "name" && section === "user" && key[2] === "=") {
      const parsed = parseValue(text, index + (rest.length - trimmed.length) + key[0].length);
      if (!parsed) return null;
      name = parsed.value;
      index = parsed.end;
      continue;
    }
    if (key && key[2] === "=") {
      // Skip the value with the same rules: it may continue onto the next line.
      const parsed = parseValue(text, index + (rest.length - trimmed.length) + key[0].length);
      if (!parsed) return null;
      index = parsed.end;
      continue;
    }
    index = lineEnd + 1;
  }
  return name;
}

/** A name fit for a LICENSE line: control characters (from a `\b` escape, say) become spaces. */
export function cleanAuthorName(name: string): string {
  return name
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

async function gitConfigUserName(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { execFile } = await import("node:child_process"); // rarely needed, and slow to load
  return new Promise((resolve) => {
    execFile("git", ["config", "user.name"], { cwd, env, encoding: "utf8", timeout: 5_000 }, (error, stdout) => {
      resolve(error ? "" : stdout.trim());
    });
  });
}

/**
 * `git config user.name`, or "" when there is none. Reads the global config files directly (spawning git
 * costs more than the rest of a scaffold); asks git itself when a file includes others.
 */
export async function gitUserName(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let name = "";
  for (const file of gitConfigFiles(env)) {
    let text: string | undefined;
    try {
      // Sync is quicker than a thread-pool round trip; read-user-file.ts never opens a pipe or a huge file.
      text = readUserFile(file, { what: "The git config" })?.toString("utf8");
    } catch {
      continue;
    }
    if (text === undefined) continue;
    const found = userNameFromConfig(text);
    if (found === null) return gitConfigUserName(cwd, env);
    if (found !== undefined) name = found.trim();
  }
  return name;
}

/** The author (from git's config files; git itself only when they include others) and the year. */
export async function readEnvironment(cwd: string): Promise<Environment> {
  return { author: cleanAuthorName(await gitUserName(cwd)), year: new Date().getFullYear() };
}
