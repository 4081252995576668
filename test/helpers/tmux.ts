/** The built CLI in a detached tmux session (a real pseudo-terminal), for the tests of its prompts. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN } from "./cli.js";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

/**
 * A tmux server of this test file's own (`-L`): test files run in parallel, and on the shared default
 * server one file's last `kill-session` ends the server under another file's `new-session`.
 */
export const TMUX = ["-L", `create-middleware-test-${process.pid}`];

/** Starts the CLI in session `session`, in `cwd`; returns the file its exit code lands in. */
export function startInTmux(session: string, args: string[], options: { cwd: string; width?: number }): string {
  const exitFile = path.join(options.cwd, `${session}.exit`);
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
  execFileSync(
    "tmux",
    [
      ...TMUX,
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      String(options.width ?? 120),
      "-y",
      "40",
      "-c",
      options.cwd,
      `${quoted}; echo $? > ${exitFile}`,
    ],
    {
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  return exitFile;
}

export const screen = (session: string) => execFileSync("tmux", [...TMUX, "capture-pane", "-p", "-t", session], { encoding: "utf8" });
export const keys = (session: string, ...sequence: string[]) => execFileSync("tmux", [...TMUX, "send-keys", "-t", session, ...sequence]);
export const text = (session: string, value: string) => execFileSync("tmux", [...TMUX, "send-keys", "-t", session, "-l", value]);

export async function waitFor(session: string, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(screen(session))) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${pattern}; screen:\n${screen(session)}`);
}

export async function exitCode(exitFile: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(exitFile)) {
      const value = (await readFile(exitFile, "utf8")).trim();
      if (value !== "") return Number(value);
    }
    await sleep(100);
  }
  throw new Error("the CLI did not exit");
}

/**
 * Starts the CLI in session `session`, drives it with `steps` (waitFor, keys, text), and returns its exit
 * code. The session is closed and the exit code file removed whatever happens; the session closes with the
 * CLI, so its screen can be read only inside `steps`.
 */
export async function driveInTmux(
  session: string,
  args: string[],
  options: { cwd: string; width?: number; timeoutMs?: number },
  steps: (session: string) => Promise<void>,
): Promise<number> {
  const exitFile = startInTmux(session, args, options);
  try {
    await steps(session);
    return await exitCode(exitFile, options.timeoutMs);
  } finally {
    spawnSync("tmux", [...TMUX, "kill-session", "-t", session]);
    await rm(exitFile, { force: true });
  }
}
