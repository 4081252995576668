/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP in one place. Work that would leave something half-done registers a
 * synchronous undo while it runs; on a signal the undos run (newest first), each may return a line saying
 * what is on disk now, those lines are printed after "Interrupted." and the process exits 130.
 *
 * Signals are delivered between event-loop turns, never inside synchronous code: long synchronous work
 * (the writer) yields with `yieldToSignals()` so an interrupt can land, and be cleaned up, part-way.
 */
import { EXIT } from "../errors.js";
import { writeJsonFailure } from "./json-output.js";
import { standardError } from "./standard-streams.js";

/** Undoes what is half-done; returns what to tell the user about the disk, if anything. */
export type Undo = () => string | void;

const pending = new Set<Undo>();
let installed = false;

function onSignal(): void {
  const notes: string[] = [];
  for (const undo of [...pending].reverse()) {
    try {
      const note = undo();
      if (note) notes.push(note);
    } catch {
      // Best effort: we are exiting either way.
    }
  }
  pending.clear();
  const message = `Interrupted.${notes.length > 0 ? ` ${notes.join("\n")}` : ""}`;
  try {
    standardError().write(`\n${message}\n`);
  } catch {
    // stderr may be gone (a closed pipe); the exit code still says it.
  }
  try {
    // With --json, an interrupt is a failure like any other: one JSON object on stdout (json-output.ts).
    writeJsonFailure({ code: "interrupted", message, exitCode: EXIT.interrupted });
  } catch {
    // stdout may be gone too
  }
  process.exit(EXIT.interrupted);
}

/** Handles SIGINT, SIGTERM and SIGHUP from now on (the CLI calls this first thing, so every interrupt exits 130). */
export function installInterruptHandlers(): void {
  if (installed) return;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // The terminal went away (its window closed): the same clean-up, or a staging folder would be left.
  if (process.platform !== "win32") process.on("SIGHUP", onSignal);
  installed = true;
}

/** Runs `work` with `undo` armed for an interrupt; disarms it once `work` settles. */
export async function guardAgainstInterrupt<T>(undo: Undo, work: () => Promise<T>): Promise<T> {
  installInterruptHandlers();
  pending.add(undo);
  try {
    return await work();
  } finally {
    pending.delete(undo);
  }
}

/** Lets a pending signal be handled now: one event-loop turn (a few microseconds). */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Test seam, inert in normal runs: when the environment variable CREATE_MIDDLEWARE_TEST_PAUSE names this
 * `point`, the run prints `[test pause] <point>` on stderr and waits there (up to a minute), so a test can
 * send a real signal at a known moment (test/e2e/adversarial.test.ts). The points: "write", half-way
 * through writing a new directory (or a template pack); "force", half-way through staging the files of a
 * --force write; "written", after the rename, before install and git; "update", half-way through moving an
 * update's files into place (write-changes.ts); "fetch", in a pack fetch's scratch folder in the cache
 * (packs/fetch-common.ts). Nothing else reads the variable.
 */
export async function pauseForTest(point: string): Promise<void> {
  if (process.env.CREATE_MIDDLEWARE_TEST_PAUSE !== point) return;
  standardError().write(`[test pause] ${point}\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
