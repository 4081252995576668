/**
 * The body of the update pull request (pull-request.ts), in Markdown: conflicts first (they were committed
 * with their markers and must be resolved before merging), then the files updated, merged, added and
 * removed, the pack's changelog since the recorded version, and the diff. Pure; capped below GitHub's
 * 65,536-character limit for a body, the diff cut first. membersPullRequestBody is the same for a monorepo's
 * pull request (pull-request-members.ts): every conflict first, then a section per package, the changelog once.
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
  parts.push(...fileLists(input.files, "###"));
  const changelog = changelogPart(input.changelog, input.from.template);
  if (changelog) parts.push(changelog);
  parts.push(LOCKFILE_NOTE);
  const head = parts.join("\n\n");
  const diff = diffPart(input.files, BODY_LIMIT - head.length - 200, "###");
  return capped(diff === "" ? `${head}\n` : `${head}\n\n${diff}`);
}

/** The last guard for GitHub's limit (a list of thousands of files): the body cut at a line, saying so. */
function capped(body: string): string {
  if (body.length <= BODY_LIMIT) return body;
  const cut = body.slice(0, BODY_LIMIT - 100);
  return `${cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0)).trimEnd()}\n\n... (cut: see the commit for the rest)\n`;
}

const LOCKFILE_NOTE = "If `package.json` changed, refresh the lockfile (install once) before merging, or CI's frozen install fails.";

function fileLists(files: BodyInput["files"], heading: string): string[] {
  return GROUPS.flatMap(([status, title]) => {
    const listed = files.filter((file) => file.status === status);
    return listed.length > 0
      ? [`${heading} ${title}\n\n${listed.map((file) => `- ${code(file.path)}${file.note ? ` (${file.note})` : ""}`).join("\n")}`]
      : [];
  });
}

/** The most of a pack's changelog a body quotes: a third of the body, the rest left for the files and the diff. */
const CHANGELOG_LIMIT = 20_000;

/**
 * `@alice`, `@acme/team` in a pack's text, made inert: GitHub notifies everyone a body mentions, and the bot
 * posts this text in every repository made from the pack. A zero-width space after the `@` keeps it readable;
 * code (fenced blocks, inline spans) is left as it is, where GitHub notifies no one. An e-mail address (a word
 * character before the `@`) is no mention.
 */
export function withoutMentions(text: string): string {
  const mention = /(^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
  let fence: string | undefined;
  return text
    .split("\n")
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== undefined) {
        if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return line;
      }
      if (marker !== undefined) {
        fence = marker;
        return line;
      }
      // Outside the inline code spans only (odd pieces of the split are spans).
      return line
        .split(/(`+[^`]*?`+)/)
        .map((piece, index) => (index % 2 === 1 ? piece : piece.replace(mention, "$1@\u200B$2")))
        .join("");
    })
    .join("\n");
}

function changelogPart(changelog: string | undefined, from: string | null): string | undefined {
  if (changelog === undefined) return undefined;
  let since = changelogSince(changelog, from);
  if (since === "") return undefined;
  if (since.length > CHANGELOG_LIMIT) {
    const cut = since.slice(0, CHANGELOG_LIMIT);
    since = `${cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0)).trimEnd()}\n\n... (cut: the rest is in the pack's CHANGELOG.md)`;
  }
  return `### The pack's changelog\n\n<details><summary>Since ${from ?? "the recorded version"}</summary>\n\n${withoutMentions(since)}\n\n</details>`;
}

/** The files' diff in a fenced block, cut to `room` characters; "" when nothing changed. */
function diffPart(files: BodyInput["files"], room: number, heading: string): string {
  const diff = files
    .map((file) => file.diff)
    .filter((text) => text !== "")
    .join("");
  if (diff === "") return "";
  const shown = diff.length <= room ? diff : `${diff.slice(0, Math.max(0, room))}\n... (cut: see the commit's diff)\n`;
  const marks = fence(shown);
  return `${heading} What the update changed\n\n<details><summary>git diff</summary>\n\n${marks}diff\n${shown.trimEnd()}\n${marks}\n\n</details>\n`;
}

export interface MemberSection {
  /** The member's folder, relative to the monorepo's root. */
  folder: string;
  packageName: string;
  from: BodyInput["from"];
  to: BodyInput["to"];
  /** Paths (and the diff's) from the root. */
  files: BodyInput["files"];
  /** Relative to the member's folder. */
  conflicts: string[];
}

export function membersPullRequestBody(input: { pack: string | null; sections: MemberSection[]; changelog: string | undefined }): string {
  const { sections } = input;
  const first = sections[0]!;
  const named = sections.map((section) => `**${section.packageName}** (${code(section.folder)})`).join(", ");
  const parts: string[] = [
    `This updates ${sections.length} ${sections.length === 1 ? "package" : "packages"} of this repository${input.pack === null ? "" : ` made from the pack ${code(input.pack)}`} to ${versions(first.to)}, ` +
      `with \`create-middleware update\` (a three-way merge per package that keeps your changes): ${named}. ` +
      "One pull request per pack version: review the template change once, here, for every package it lands in.",
  ];
  const conflicts = sections.flatMap((section) => section.conflicts.map((file) => `${section.folder}/${file}`));
  if (conflicts.length > 0) {
    parts.push(
      `### ⚠️ Conflicts to resolve before merging (${conflicts.length})\n\n` +
        "These files were committed **with conflict markers**: your lines and the template's touch the same place. " +
        "Check out this branch, keep what you want between `<<<<<<< yours`, `=======` and `>>>>>>> template`, delete the markers, and push.\n\n" +
        conflicts.map((file) => `- ${code(file)}`).join("\n"),
    );
  }
  // Every package moves to the same version; a changelog since the oldest of theirs would repeat, so since the
  // one they share, or all of it when they were at different versions.
  const froms = new Set(sections.map((section) => section.from.template));
  const changelog = changelogPart(input.changelog, froms.size === 1 ? first.from.template : null);
  if (changelog) parts.push(changelog);
  parts.push(LOCKFILE_NOTE);
  const heads = sections.map((section) =>
    [
      `## ${section.packageName} (${code(section.folder)})`,
      `From ${versions(section.from)}.${section.conflicts.length > 0 ? ` ${section.conflicts.length} in conflict (above).` : ""}`,
      ...fileLists(section.files, "###"),
    ].join("\n\n"),
  );
  const head = parts.join("\n\n");
  const used = head.length + heads.reduce((sum, text) => sum + text.length + 2, 0);
  const room = Math.floor((BODY_LIMIT - used) / sections.length) - 200;
  const body = [
    head,
    ...sections.map((section, index) => [heads[index], diffPart(section.files, room, "###").trimEnd()].filter((text) => text !== "").join("\n\n")),
  ];
  return capped(`${body.join("\n\n").trimEnd()}\n`);
}
