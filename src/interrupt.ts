/**
 * Ctrl-C handling in one place. Work that leaves something half-done registers a synchronous undo while it
 * runs; on SIGINT/SIGTERM the undos run, the message is printed and the process exits 130.
 */
import { EXIT } from "./errors.js";

type Undo = () => void;

const pending = new Set<Undo>();
let installed = false;

function onSignal(): void {
  for (const undo of [...pending].reverse()) {
    try {
      undo();
    } catch {
      // Best effort: we are exiting either way.
    }
  }
  process.stderr.write("\nInterrupted.\n");
  process.exit(EXIT.interrupted);
}

/** Runs `work` with `undo` armed for an interrupt; disarms it once `work` settles. */
export async function guardAgainstInterrupt<T>(undo: Undo, work: () => Promise<T>): Promise<T> {
  if (!installed) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    installed = true;
  }
  pending.add(undo);
  try {
    return await work();
  } finally {
    pending.delete(undo);
  }
}
