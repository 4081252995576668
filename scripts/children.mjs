// Child processes of a long script (scripts/mutation.mjs) that stop with it. A Ctrl-C in a terminal reaches
// the whole foreground process group, but a SIGTERM (a CI timeout, `kill <pid>`) reaches the script only: with
// spawnSync it died and left its child (StrykerJS and its workers) running. Here each child runs in its own
// process group (so a Ctrl-C reaches it once, through us, not twice: a second signal makes Stryker skip its
// clean-up), and SIGINT or SIGTERM is passed on to the child that runs; the script then waits for it to end,
// kills what it left in its group (Stryker 10 exits on SIGTERM with its workers still running), and the
// child's promise rejects with Stopped, whose exitCode (128 + the signal's number) the script exits with.
// A second signal does not wait: it kills the child's process group and exits at once.
import { spawn } from "node:child_process";
import os from "node:os";

/** A run ended by a signal the script received (and passed on). */
export class Stopped extends Error {
  /** @param {NodeJS.Signals} signal */
  constructor(signal) {
    super(`stopped by ${signal}`);
    this.signal = signal;
    this.exitCode = 128 + (os.constants.signals[signal] ?? 0);
  }
}

/** The child that runs now, the one a signal is passed on to. @type {import("node:child_process").ChildProcess | undefined} */
let running;
/** The signal received, once one is. @type {NodeJS.Signals | undefined} */
let stopping;
const ownGroup = process.platform !== "win32";

/** @param {import("node:child_process").ChildProcess} child @param {NodeJS.Signals} signal */
function kill(child, signal) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The whole group when the child leads one (a SIGKILL cannot be handled, so its own children would stay).
    if (ownGroup && signal === "SIGKILL") process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** Installs the SIGINT and SIGTERM handlers. @param {(message: string) => void} log */
export function passSignalsOn(log) {
  // An exit while a child runs (a crash, process.exit) would leave it running in its own group.
  process.on("exit", () => {
    if (running) kill(running, "SIGKILL");
  });
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
    process.on(signal, () => {
      if (stopping !== undefined) {
        log(`${signal} again: killing the running command and exiting now`);
        if (running) kill(running, "SIGKILL");
        process.exit(new Stopped(signal).exitCode);
      }
      stopping = signal;
      log(`${signal}: passing it on to the running command and stopping when it ends (again to stop at once)`);
      if (running) kill(running, signal);
    });
  }
}

/** Throws Stopped when a signal has been received: for a script's loop between two commands. */
export function throwIfStopped() {
  if (stopping !== undefined) throw new Stopped(stopping);
}

/**
 * Runs a command to its end, one at a time. stdout is collected when `capture` (else discarded, as is stdin);
 * stderr is collected when `capture`, else it goes to ours.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, capture?: boolean, stdout?: "ignore" | "stderr" }} options
 * @returns {Promise<{ status: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>}
 */
export function runChild(command, args, options) {
  throwIfStopped();
  if (running) throw new Error(`runChild: ${command} started while another command runs`);
  const out = options.capture ? "pipe" : options.stdout === "stderr" ? process.stderr : "ignore";
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", out, options.capture ? "pipe" : "inherit"],
    detached: ownGroup,
  });
  running = child;
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", (error) => {
      running = undefined;
      reject(error);
    });
    child.on("close", (status, signal) => {
      running = undefined;
      if (stopping === undefined) return resolve({ status, signal, stdout, stderr });
      // What the child left in its group ends too: on SIGTERM StrykerJS exits and its workers run on.
      if (ownGroup && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Nothing left.
        }
      }
      reject(new Stopped(stopping));
    });
  });
}
