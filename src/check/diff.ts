/**
 * Unified diffs (the `diff -u` / `git diff` format) of two texts, for the snapshot check. Pure; no
 * dependency. A longest-common-subsequence table over the lines between the common head and tail: snapshot
 * files are small, so the quadratic table is a few thousand cells, and its output is the minimal diff.
 */

export interface DiffLabels {
  /** "a/express-none/src/index.ts" */
  old: string;
  new: string;
}

type Op = { kind: " " | "-" | "+"; text: string; /** the line of the last-line-without-newline marker */ noNewline: boolean };

/** A text as lines; a last line without a final newline gets a marker, so it never equals one with it. */
const NO_NEWLINE = "\u0000no newline";
function linesOf(text: string): string[] {
  if (text === "") return [];
  const missingNewline = !text.endsWith("\n");
  const lines = (missingNewline ? text : text.slice(0, -1)).split("\n");
  if (missingNewline) lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

const op = (kind: Op["kind"], line: string): Op =>
  line.endsWith(NO_NEWLINE) ? { kind, text: line.slice(0, -NO_NEWLINE.length), noNewline: true } : { kind, text: line, noNewline: false };

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // lcs[i][j]: length of the LCS of x[i..] and y[j..], row-major in one array.
  const width = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * width);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * width + j] = x[i] === y[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = a.slice(0, head).map((line) => op(" ", line));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push(op(" ", x[i++] as string));
      j++;
    } else if (j < y.length && (i === x.length || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
      ops.push(op("+", y[j++] as string));
    } else {
      ops.push(op("-", x[i++] as string));
    }
  }
  // Deletions before insertions within a run of changes, as diff(1) prints them.
  for (let start = 0; start < ops.length; ) {
    if (ops[start]?.kind === " ") {
      start++;
      continue;
    }
    let end = start;
    while (end < ops.length && ops[end]?.kind !== " ") end++;
    const run = ops.slice(start, end);
    ops.splice(start, run.length, ...run.filter((entry) => entry.kind === "-"), ...run.filter((entry) => entry.kind === "+"));
    start = end;
  }
  ops.push(...a.slice(a.length - tail).map((line) => op(" ", line)));
  return ops;
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

/** The unified diff turning `before` into `after`; "" when they are equal. */
export function unifiedDiff(before: string, after: string, labels: DiffLabels, context = 3): string {
  if (before === after) return "";
  const ops = editScript(linesOf(before), linesOf(after));
  const out = [`--- ${labels.old}`, `+++ ${labels.new}`];
  const changed = ops.map((entry, index) => (entry.kind !== " " ? index : -1)).filter((index) => index >= 0);
  let oldLine = 1;
  let newLine = 1;
  const positions = ops.map((entry) => {
    const at = { oldLine, newLine };
    if (entry.kind !== "+") oldLine++;
    if (entry.kind !== "-") newLine++;
    return at;
  });
  let cursor = 0;
  while (cursor < changed.length) {
    const first = changed[cursor] as number;
    let last = first;
    // Changes closer than two contexts share a hunk.
    while (cursor + 1 < changed.length && (changed[cursor + 1] as number) - last <= 2 * context + 1) last = changed[++cursor] as number;
    cursor++;
    const start = Math.max(0, first - context);
    const hunk = ops.slice(start, Math.min(ops.length, last + context + 1));
    const oldCount = hunk.filter((entry) => entry.kind !== "+").length;
    const newCount = hunk.filter((entry) => entry.kind !== "-").length;
    const from = positions[start] as { oldLine: number; newLine: number };
    out.push(`@@ -${range(from.oldLine, oldCount)} +${range(from.newLine, newCount)} @@`);
    for (const entry of hunk) {
      out.push(`${entry.kind}${entry.text}`);
      if (entry.noNewline) out.push("\\ No newline at end of file");
    }
  }
  return `${out.join("\n")}\n`;
}
