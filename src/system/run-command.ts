/**
 * The one place that spawns other programs (install, git, and the check's npm runs): command lines come
 * from pure functions (package-manager.ts, check/commands.ts); execa is imported only when something
 * actually runs, so --help stays instant. Ctrl-C stops whatever is running.
 */
import { guardAgainstInterrupt } from "./interrupt.js";
import { formatCommand, type CommandLine } from "./package-manager.js";

export interface RunOptions {
  cwd: string;
  /** Stop the child after this long (SIGTERM, then SIGKILL); the result then says "timed-out". */
  timeoutMs?: number;
  /** Aborting stops the child (SIGTERM, then SIGKILL after a grace period). */
  signal?: AbortSignal;
  /** The child's whole environment when given; otherwise it inherits ours. */
  env?: NodeJS.ProcessEnv;
  /** Given to the child on stdin (instead of a closed stdin). */
  input?: string | Uint8Array;
  /** Keep stdout as raw bytes in `stdoutBytes` (file contents from git), not decoded text. */
  bytes?: boolean;
  /** With `bytes`: stop the child as soon as its stdout passes this many bytes (the result then says "too-large"). */
  maxOutputBytes?: number;
}

export interface RunResult {
  /** The command line as a person would type it. */
  command: string;
  ok: boolean;
  exitCode: number | undefined;
  /**
   * "not-found": the program is not on PATH; "failed": it ran and failed; "stopped": killed or aborted;
   * "timed-out": it ran past `timeoutMs`; "too-large": its output passed `maxOutputBytes`.
   */
  failure: "not-found" | "failed" | "stopped" | "timed-out" | "too-large" | undefined;
  /** stdout, trimmed of its final newline. */
  stdout: string;
  /** stdout and stderr interleaved as the program wrote them (stderr only when stdout was bounded by `maxOutputBytes`). */
  output: string;
  /** stdout exactly as written, when `bytes` was asked for. */
  stdoutBytes?: Buffer;
  durationMs: number;
}

/**
 * Runs one command line with its output captured and stdin closed (a child never waits on the user).
 * Never throws for a failing command: the result says what happened. Ctrl-C stops the child.
 */
export async function runCommand(line: CommandLine, options: RunOptions): Promise<RunResult> {
  const { execa } = await import("execa");
  const limit = options.bytes ? options.maxOutputBytes : undefined;
  const started = performance.now();
  const subprocess = execa(line.command, line.args, {
    cwd: options.cwd,
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
    ...(options.bytes ? { encoding: "buffer" as const } : {}),
    // A bounded stdout is read here as it streams (below), never buffered whole by execa.
    ...(limit ? { buffer: { stdout: false } } : {}),
    all: !limit,
    reject: false,
    stripFinalNewline: !options.bytes,
    forceKillAfterDelay: 3000,
    windowsHide: true,
  });
  const chunks: Buffer[] = [];
  let tooLarge = false;
  if (limit) {
    let total = 0;
    subprocess.stdout?.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      total += chunk.length;
      if (total > limit) {
        tooLarge = true;
        chunks.length = 0;
        subprocess.kill();
      } else chunks.push(chunk);
    });
  }
  const result = await guardAgainstInterrupt(
    () => {
      subprocess.kill();
    },
    async () => subprocess,
  );
  const durationMs = Math.round(performance.now() - started);
  const notFound = (result as { code?: string }).code === "ENOENT";
  const failure = tooLarge
    ? "too-large"
    : !result.failed
      ? undefined
      : notFound
        ? "not-found"
        : result.timedOut
          ? "timed-out"
          : result.isCanceled || result.isTerminated
            ? "stopped"
            : "failed";
  const decode = (value: unknown) => (typeof value === "string" ? value : value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : "");
  const stdout = decode(result.stdout);
  const all = limit ? decode(result.stderr) : decode(result.all);
  return {
    command: formatCommand(line),
    ok: !result.failed && !tooLarge,
    exitCode: result.exitCode,
    failure,
    stdout,
    output: all || (result.failed && !notFound ? (result.shortMessage ?? "") : ""),
    ...(limit
      ? tooLarge
        ? {}
        : { stdoutBytes: Buffer.concat(chunks) }
      : options.bytes && result.stdout instanceof Uint8Array
        ? { stdoutBytes: Buffer.from(result.stdout) }
        : {}),
    durationMs,
  };
}

export type Runner = (line: CommandLine, options: RunOptions) => Promise<RunResult>;
