/** Facts from outside the answers that templates use: the author and the year. */
import { execFile } from "node:child_process";
import type { Environment } from "./template-data.js";

/** `git config user.name`, or "" when git is missing or has no identity. Never rejects. */
export function gitUserName(cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile("git", ["config", "user.name"], { cwd, encoding: "utf8", timeout: 5_000 }, (error, stdout) => {
      resolve(error ? "" : stdout.trim());
    });
  });
}

/** Started early and awaited late: the git lookup runs while templates load. */
export async function readEnvironment(cwd: string): Promise<Environment> {
  return { author: await gitUserName(cwd), year: new Date().getFullYear() };
}
