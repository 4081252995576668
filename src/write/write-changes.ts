/**
 * Changes to an existing package as one all-or-nothing step (used by `update`): files to write and files
 * to delete, planned in memory first. The same rules as write.ts (no path outside the directory, no
 * symbolic link leading out, nothing but regular files replaced), plus:
 *
 * - every new content is first written beside its file under a temporary name, so a failure (a full disk,
 *   a read-only file) before anything is replaced changes nothing;
 * - then each file in the way is moved aside (renamed) and the new one renamed into place;
 * - until the very end, an interrupt (Ctrl-C, SIGTERM) or an error puts every file back as it was and
 *   removes what was added; only then are the files that were moved aside deleted.
 *
 * The file system calls are synchronous with an event-loop turn after each file, so a signal is handled
 * between steps, and the undo is armed for every one of them (interrupt.ts).
 */
import { chmodSync, lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { guardAgainstInterrupt, pauseForTest, yieldToSignals } from "../system/interrupt.js";
import { FailedError } from "../errors.js";
import { assertWritable, EXECUTABLE_MODE, systemReason, withExecutable } from "./write.js";

export interface FileChange {
  /** Path inside the directory, forward slashes. */
  path: string;
  /** The new bytes, or null to delete the file. */
  contents: Buffer | null;
  /**
   * Set the executable bits (true) or clear them (false); absent: a replaced file keeps its mode, a new one
   * gets the default. A new executable file is 0755; an existing one gains or loses only its x bits.
   */
  executable?: boolean;
}

const tag = () => `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const exists = (file: string) => lstatSync(file, { throwIfNoEntry: false }) !== undefined;

/** Applies every change, or none: see the module comment. Returns the paths written and deleted. */
export async function applyChanges(directory: string, changes: readonly FileChange[]): Promise<{ written: string[]; deleted: string[] }> {
  assertWritable(directory, changes);
  const root = path.resolve(directory);
  const steps: { destination: string; temporary?: string | undefined; aside?: string; placed: boolean }[] = [];
  const createdFolders: string[] = [];

  // Each part on its own: one that fails must not stop the others from putting files back.
  const attempt = (action: () => void) => {
    try {
      action();
    } catch {
      // best effort
    }
  };
  const undo = (): string => {
    for (const step of [...steps].reverse()) {
      if (step.temporary) attempt(() => rmSync(step.temporary!, { force: true }));
      if (step.placed) attempt(() => rmSync(step.destination, { force: true }));
      if (step.aside) attempt(() => exists(step.aside!) && renameSync(step.aside!, step.destination));
    }
    for (const folder of [...createdFolders].reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // not empty (something else is there): leave it
      }
    }
    return `Nothing in ${directory} was changed: every file was put back as it was.`;
  };

  /** The file being worked on, for the message when a system call fails. */
  let current = root;
  return guardAgainstInterrupt(undo, async () => {
    try {
      // 1. Every new content beside its destination; nothing replaced yet.
      for (const change of changes) {
        const destination = path.join(root, change.path);
        current = destination;
        const step: (typeof steps)[number] = { destination, placed: false };
        steps.push(step);
        if (change.contents === null) continue;
        let folder = path.dirname(destination);
        const missing: string[] = [];
        while (!exists(folder)) {
          missing.unshift(folder);
          folder = path.dirname(folder);
        }
        for (const item of missing) {
          mkdirSync(item);
          createdFolders.push(item);
        }
        step.temporary = `${destination}.create-middleware-${tag()}`;
        writeFileSync(step.temporary, change.contents, { flag: "wx" });
        // Keep the mode of the file it replaces (an executable script stays executable), but for the
        // executable bit when the change sets it.
        const previous = exists(destination) ? statSync(destination).mode & 0o7777 : undefined;
        if (previous !== undefined)
          chmodSync(step.temporary, change.executable === undefined ? previous : withExecutable(previous, change.executable));
        else if (change.executable) chmodSync(step.temporary, EXECUTABLE_MODE);
      }
      // 2. Move each existing file aside and the new one into place.
      for (const step of steps) {
        current = step.destination;
        if (exists(step.destination)) {
          step.aside = `${step.destination}.create-middleware-old-${tag()}`;
          renameSync(step.destination, step.aside);
        }
        if (step.temporary) {
          renameSync(step.temporary, step.destination);
          step.temporary = undefined;
          step.placed = true;
        }
        // A signal lands here, part-way, and the undo puts everything back.
        await yieldToSignals();
        if (step === steps[Math.floor(steps.length / 2)]) await pauseForTest("update");
      }
    } catch (error) {
      undo();
      if (!(typeof (error as NodeJS.ErrnoException).code === "string")) throw error;
      const failed = current;
      throw new FailedError(
        `Could not write ${path.relative(root, failed) || failed}: ${systemReason(error)}. Nothing in ${directory} was changed: every file was put back as it was.`,
      );
    }
    // 3. Done: drop what was moved aside, and folders emptied by deletions.
    for (const step of steps) if (step.aside) rmSync(step.aside, { force: true });
    steps.length = 0;
    createdFolders.length = 0;
    for (const change of changes.filter((item) => item.contents === null)) {
      let folder = path.dirname(path.join(root, change.path));
      while (folder !== root && folder.startsWith(root + path.sep)) {
        try {
          rmdirSync(folder);
        } catch {
          break;
        }
        folder = path.dirname(folder);
      }
    }
    return {
      written: changes.filter((change) => change.contents !== null).map((change) => change.path),
      deleted: changes.filter((change) => change.contents === null).map((change) => change.path),
    };
  });
}
