/**
 * Conflicted files recorded in the git index as unmerged (stage 1 the base, 2 yours, 3 the template), as
 * `git merge` leaves them: `git status` shows them as "both modified" (UU; AA for a file both sides
 * added), and editors, `git diff` and `git mergetool` find them. `git add` on the resolved file clears it.
 *
 * Best effort, after the files are written: a package outside any git work tree has no index; a failure
 * here never undoes the update (the markers in the files say everything).
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import { gitEnvironment } from "../system/git.js";
import { runCommand } from "../system/run-command.js";

export interface UnmergedFile {
  path: string;
  /** Undefined when both sides added the file (no stage 1). */
  base: Buffer | undefined;
  yours: Buffer;
  template: Buffer;
}

const NO_OBJECT = "0".repeat(40);

/** A path as `git update-index --index-info` reads it: C-style quoted when it needs to be. */
function indexPath(file: string): string {
  return /["\\\n\t]/.test(file) || file.startsWith('"') ? JSON.stringify(file) : file;
}

/** Records `files` (paths relative to `directory`) as unmerged; returns why not when it could not. */
export async function recordUnmerged(directory: string, files: readonly UnmergedFile[], env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  const git = (args: string[], input?: string | Buffer) =>
    runCommand({ command: "git", args }, { cwd: directory, env: gitEnvironment(env), ...(input !== undefined ? { input } : {}) });
  // Index paths are relative to the top of the work tree; the package may be a folder inside it.
  const prefix = await git(["rev-parse", "--show-prefix"]);
  if (!prefix.ok) return undefined; // not in a git work tree: nothing to record
  const lines: string[] = [];
  for (const file of files) {
    const blobs = [file.base, file.yours, file.template];
    const ids: (string | undefined)[] = [];
    for (const blob of blobs) {
      if (blob === undefined) {
        ids.push(undefined);
        continue;
      }
      const hashed = await git(["hash-object", "-w", "--stdin"], blob);
      if (!hashed.ok) return `git hash-object failed: ${hashed.output.trim()}`;
      ids.push(hashed.stdout.trim());
    }
    let executable = false;
    try {
      executable = (lstatSync(path.join(directory, file.path)).mode & 0o111) !== 0;
    } catch {
      // written moments ago; without it, the plain file mode
    }
    const mode = executable ? "100755" : "100644";
    const name = indexPath(prefix.stdout.trim() + file.path);
    lines.push(`0 ${NO_OBJECT}\t${name}`); // the stage-0 entry goes first, then the three stages
    ids.forEach((id, index) => {
      if (id) lines.push(`${mode} ${id} ${index + 1}\t${name}`);
    });
  }
  const updated = await git(["update-index", "--index-info"], `${lines.join("\n")}\n`);
  return updated.ok ? undefined : `git update-index failed: ${updated.output.trim()}`;
}
