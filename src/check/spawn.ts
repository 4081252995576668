/**
 * The one place a check spawns processes: execa (imported lazily), output captured, stdin closed, a time
 * limit on every command, and a registry of running children so an interrupt can stop them all.
 */
import type { CommandLine } from "../package-manager.js";

export interface RunResult {
  ok: boolean;
  exitCode: number | undefined;
  timedOut: boolean;
  stdout: string;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
  durationMs: number;
}

interface Killable {
  kill(signal?: NodeJS.Signals): boolean;
}

const running = new Set<Killable>();

/** Stops every command still running (on Ctrl-C, before the workspace is removed). */
export function killRunning(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** The environment of the parent minus what `npm run` / `npm test` put there about *our* package. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^npm_config_local_prefix$/i.test(key) || key === "INIT_CWD") continue;
    clean[key] = value;
  }
  return { ...clean, NO_COLOR: "1", FORCE_COLOR: "0", npm_config_update_notifier: "false" };
}

export async function runCommand(line: CommandLine, options: { cwd: string; timeoutMs: number }): Promise<RunResult> {
  const { execa } = await import("execa");
  const started = performance.now();
  const child = execa(line.command, line.args, {
    cwd: options.cwd,
    env: childEnvironment(),
    extendEnv: false,
    stdin: "ignore",
    all: true,
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
  });
  running.add(child);
  try {
    const result = await child;
    return {
      ok: result.exitCode === 0 && !result.timedOut,
      exitCode: result.exitCode,
      timedOut: Boolean(result.timedOut),
      stdout: String(result.stdout ?? ""),
      output: String(result.all ?? "") + (result.failed && result.exitCode === undefined && !result.timedOut ? `\n${result.shortMessage}` : ""),
      durationMs: performance.now() - started,
    };
  } finally {
    running.delete(child);
  }
}
