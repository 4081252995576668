/**
 * Unified diffs of a file's two versions (check --snapshot, update --dry-run): the format `git diff` prints,
 * and a patch that really turns the old text into the new one (applied here by a small reader of the format).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileDiff } from "../../src/write/file-diff.js";

const labels = { old: "a/f", new: "b/f" };
const text = (value: string) => Buffer.from(value, "utf8");
const unifiedDiff = (before: string, after: string, names = labels, context?: number) => fileDiff(text(before), text(after), names, context);

/**
 * Applies a unified diff produced for `before`; asserts that every context and removed line matches.
 * A line without a final newline is kept with a NUL mark, as the format's "\ No newline" line says.
 */
function applyDiff(before: string, diff: string): string {
  if (diff === "") return before;
  const lines = before === "" ? [] : before.split(/(?<=\n)/).map((line) => (line.endsWith("\n") ? line.slice(0, -1) : `${line}\0`));
  const out: string[] = [];
  let cursor = 0;
  const body = diff.replace(/\n$/, "").split("\n").slice(2);
  for (let index = 0; index < body.length; index++) {
    const line = body[index] as string;
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (hunk) {
      const start = Number(hunk[1]) - (hunk[2] === "0" ? 0 : 1);
      while (cursor < start) out.push(lines[cursor++] as string);
      continue;
    }
    const text = body[index + 1] === "\\ No newline at end of file" ? `${line.slice(1)}\0` : line.slice(1);
    if (text.endsWith("\0")) index++;
    if (line.startsWith(" ") || line.startsWith("-")) assert.equal(lines[cursor++], text, `line ${cursor}`);
    if (line.startsWith(" ") || line.startsWith("+")) out.push(text);
  }
  while (cursor < lines.length) out.push(lines[cursor++] as string);
  return out.map((line) => (line.endsWith("\0") ? line.slice(0, -1) : `${line}\n`)).join("");
}

describe("unified diff", () => {
  it("is empty for equal texts", async () => {
    assert.equal(await unifiedDiff("a\nb\n", "a\nb\n", labels), "");
  });

  it("prints one hunk with three lines of context, as git does", async () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    assert.equal(await unifiedDiff(before, after, labels), "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  });

  it("splits distant changes into hunks and joins close ones", async () => {
    const before = `${Array.from({ length: 20 }, (_, index) => `${index + 1}`).join("\n")}\n`;
    const after = before.replace("2\n", "two\n").replace("18\n", "eighteen\n");
    const diff = await unifiedDiff(before, after, labels);
    assert.deepEqual(
      diff.split("\n").filter((line) => line.startsWith("@@")),
      ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"],
    );
    const close = await unifiedDiff(before, before.replace("2\n", "two\n").replace("9\n", "nine\n"), labels);
    assert.deepEqual(
      close.split("\n").filter((line) => line.startsWith("@@")),
      ["@@ -1,12 +1,12 @@"],
    );
  });

  it("shows a new file against /dev/null and marks a missing final newline", async () => {
    assert.equal(await fileDiff(undefined, text("x\ny\n"), { old: "/dev/null", new: "b/f" }), "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    assert.equal(await unifiedDiff("x\n", "x"), "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-x\n+x\n\\ No newline at end of file\n");
  });

  it("says that binary files differ instead of printing them", async () => {
    assert.equal(await fileDiff(Buffer.from([0, 1]), Buffer.from([0, 2]), labels), "Binary files a/f and b/f differ\n");
    assert.equal(await fileDiff(Buffer.from([0, 1]), Buffer.from([0, 1]), labels), "");
  });

  it("produces patches that turn the old text into the new one (random texts)", async () => {
    let seed = 17;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = () => {
      const count = random(14);
      const body = Array.from({ length: count }, () => "abcdef"[random(6)]).join("\n");
      return count > 0 && random(4) > 0 ? `${body}\n` : body;
    };
    for (let round = 0; round < 500; round++) {
      const before = text();
      const after = text();
      const diff = await unifiedDiff(before, after, labels, random(4));
      assert.equal(applyDiff(before, diff), after, `${JSON.stringify(before)} -> ${JSON.stringify(after)}\n${diff}`);
    }
  });
});
