/** Facts from outside the answers that templates use: the author and the year. */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Environment } from "./template-data.js";

/** The config files `git config` reads for a global value, lowest precedence first. */
export function gitConfigFiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  const files: string[] = [];
  if (!env.GIT_CONFIG_NOSYSTEM) files.push(env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig");
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else files.push(path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "git", "config"), path.join(home, ".gitconfig"));
  return files;
}

/**
 * `user.name` from git config text: the last `name` in a `[user]` section, or undefined when absent.
 * Returns null when the file includes others, which only git itself can resolve.
 */
export function userNameFromConfig(text: string): string | undefined | null {
  let section = "";
  let name: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, "").trim();
    const header = /^\[\s*([^\]\s"]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      if (section === "include" || section === "includeif") return null;
      continue;
    }
    const entry = /^name\s*=\s*(.*)$/i.exec(line);
    if (section === "user" && entry) name = entry[1]!.replace(/^"(.*)"$/, "$1").trim();
  }
  return name;
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
    let text: string;
    try {
      text = readFileSync(file, "utf8"); // small files; sync is quicker than a thread-pool round trip
    } catch {
      continue;
    }
    const found = userNameFromConfig(text);
    if (found === null) return gitConfigUserName(cwd, env);
    if (found !== undefined) name = found;
  }
  return name;
}

/** The author (from git's config files; git itself only when they include others) and the year. */
export async function readEnvironment(cwd: string): Promise<Environment> {
  return { author: await gitUserName(cwd), year: new Date().getFullYear() };
}
