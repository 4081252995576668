/**
 * The body of the update pull request (pull-request.ts), in Markdown: conflicts first (they were committed
 * with their markers and must be resolved before merging), then the files updated, merged, added and
 * removed, the pack's changelog since the recorded version, and the diff. Pure; capped below GitHub's
 * 65,536-character limit for a body, the diff cut first.
 */
export interface BodyInput {
  packageName: string;
  from: { createMiddleware: string; template: string | null };
  to: { createMiddleware: string; template: string | null };
  files: { path: string; status: string; note: string | null; diff: string }[];
  conflicts: string[];
  /** The pack's CHANGELOG.md at the new version, when it has one. */
  changelog: string | undefined;
}

export const BODY_LIMIT = 60_000;

const GROUPS: ReadonlyArray<[status: string, title: string]> = [
  ["updated", "Updated (you had not changed them)"],
  ["merged", "Merged with your changes"],
  ["added", "Added"],
  ["removed", "Removed"],
];

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function versions(side: BodyInput["from"]): string {
  return `create-middleware ${side.createMiddleware}${side.template === null ? "" : `, pack ${side.template}`}`;
}

/**
 * The changelog's part newer than `from`: everything above the first heading that names the recorded
 * version. The whole file when no heading does (a hash or commit, or a changelog without that version).
 */
export function changelogSince(changelog: string, from: string | null): string {
  const lines = changelog.split(/\r?\n/);
  if (from !== null && from !== "") {
    const named = new RegExp(`(^|[^0-9A-Za-z.])${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^0-9A-Za-z.])`);
    const at = lines.findIndex((line) => /^#{1,6}\s/.test(line) && named.test(line));
    if (at >= 0) return lines.slice(0, at).join("\n").trim();
  }
  return changelog.trim();
}

/** A fence longer than any run of backticks in the text, so a diff of a Markdown file cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return "`".repeat(longest + 1);
}

export function pullRequestBody(input: BodyInput): string {
  const parts: string[] = [];
  parts.push(
    `This updates **${input.packageName}** from ${versions(input.from)} to ${versions(input.to)}, with \`create-middleware update\` (a three-way merge that keeps your changes).`,
  );
  if (input.conflicts.length > 0) {
    parts.push(
      `### ⚠️ Conflicts to resolve before merging (${input.conflicts.length})\n\n` +
        "These files were committed **with conflict markers**: your lines and the template's touch the same place. " +
        "Check out this branch, keep what you want between `<<<<<<< yours`, `=======` and `>>>>>>> template`, delete the markers, and push.\n\n" +
        input.conflicts.map((file) => `- ${code(file)}`).join("\n"),
    );
  }
  for (const [status, title] of GROUPS) {
    const listed = input.files.filter((file) => file.status === status);
    if (listed.length > 0)
      parts.push(`### ${title}\n\n${listed.map((file) => `- ${code(file.path)}${file.note ? ` (${file.note})` : ""}`).join("\n")}`);
  }
  if (input.changelog !== undefined) {
    const since = changelogSince(input.changelog, input.from.template);
    if (since !== "")
      parts.push(
        `### The pack's changelog\n\n<details><summary>Since ${input.from.template ?? "the recorded version"}</summary>\n\n${since}\n\n</details>`,
      );
  }
  parts.push("If `package.json` changed, refresh the lockfile (install once) before merging, or CI's frozen install fails.");
  const head = parts.join("\n\n");
  const diff = input.files
    .map((file) => file.diff)
    .filter((text) => text !== "")
    .join("");
  if (diff === "") return `${head}\n`;
  const room = BODY_LIMIT - head.length - 200;
  const shown = diff.length <= room ? diff : `${diff.slice(0, Math.max(0, room))}\n... (cut: see the commit's diff)\n`;
  const marks = fence(shown);
  return `${head}\n\n### What the update changed\n\n<details><summary>git diff</summary>\n\n${marks}diff\n${shown.trimEnd()}\n${marks}\n\n</details>\n`;
}
