/** Facts from outside the answers that templates use: the author and the year. */
import { spawnSync } from "node:child_process";
import type { Environment } from "./template-data.js";

/** `git config user.name`, or "" when git is missing or has no identity. */
export function gitUserName(cwd: string): string {
  const result = spawnSync("git", ["config", "user.name"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return result.status === 0 ? result.stdout.trim() : "";
}

export function readEnvironment(cwd: string): Environment {
  return { author: gitUserName(cwd), year: new Date().getFullYear() };
}
