import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyUpdate, type UpdateInputs } from "../../src/update/classify.js";
import { unifiedDiff } from "../../src/update/diff.js";
import { hasConflictMarkers, mergeText } from "../../src/update/merge.js";

const lines = (...items: string[]) => items.map((item) => `${item}\n`).join("");

describe("mergeText", () => {
  const base = lines("a", "b", "c", "d", "e", "f", "g");

  it("keeps the user's change and applies the template's elsewhere", async () => {
    const yours = lines("a", "B (mine)", "c", "d", "e", "f", "g");
    const template = lines("a", "b", "c", "d", "e", "F (new)", "g");
    assert.deepEqual(await mergeText(yours, base, template), { text: lines("a", "B (mine)", "c", "d", "e", "F (new)", "g"), conflicts: 0 });
  });

  it("the same change on both sides is taken once", async () => {
    const both = lines("a", "b", "C", "d", "e", "f", "g");
    assert.deepEqual(await mergeText(both, base, both), { text: both, conflicts: 0 });
    const yours = lines("x", "b", "C", "d", "e", "f", "g");
    const template = lines("a", "b", "C", "d", "e", "f", "y");
    assert.deepEqual(await mergeText(yours, base, template), { text: lines("x", "b", "C", "d", "e", "f", "y"), conflicts: 0 });
  });

  it("different changes to the same lines give standard markers, both sides kept whole", async () => {
    const yours = lines("a", "b", "mine", "d", "e", "f", "g");
    const template = lines("a", "b", "theirs", "d", "e", "f", "g");
    const merged = await mergeText(yours, base, template);
    assert.equal(merged.conflicts, 1);
    assert.equal(merged.text, lines("a", "b", "<<<<<<< yours", "mine", "=======", "theirs", ">>>>>>> template", "d", "e", "f", "g"));
    assert.ok(hasConflictMarkers(merged.text));
  });

  it("a last line without a newline still gets markers on lines of their own", async () => {
    const merged = await mergeText("a\nmine", "a\nbase", "a\ntheirs");
    assert.equal(merged.text, "a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> template\n");
  });

  it("keeps the missing final newline of a cleanly merged file", async () => {
    assert.equal((await mergeText("x\nb\nc", "a\nb\nc", "a\nb\nC")).text, "x\nb\nC");
  });

  it("a file converted to CRLF merges line by line, not as one big conflict", async () => {
    const yours = lines("a", "B", "c", "d", "e", "f", "g").replace(/\n/g, "\r\n");
    const template = lines("a", "b", "c", "d", "e", "f", "G");
    assert.deepEqual(await mergeText(yours, base, template), { text: lines("a", "B", "c", "d", "e", "f", "G").replace(/\n/g, "\r\n"), conflicts: 0 });
  });

  it("never loses a line of the user's: every line of yours is in the result", async () => {
    // A small exhaustive check over edits of a 4-line file: replace, delete, insert on each side.
    const original = ["1", "2", "3", "4"];
    const edits = (label: string): string[][] => {
      const out: string[][] = [original];
      for (let i = 0; i < original.length; i++) {
        out.push(original.map((line, j) => (i === j ? `${label}${i}` : line)));
        out.push(original.filter((_, j) => j !== i));
        out.push([...original.slice(0, i), `${label}+${i}`, ...original.slice(i)]);
      }
      return out;
    };
    const text = (items: string[]) => items.map((item) => `${item}\n`).join("");
    for (const yours of edits("y")) {
      for (const theirs of edits("t")) {
        const merged = await mergeText(text(yours), text(original), text(theirs));
        const result = merged.text.split("\n");
        for (const line of yours.filter((item) => item.startsWith("y"))) {
          assert.ok(result.includes(line), `lost ${line} merging ${yours} / ${theirs}:\n${merged.text}`);
        }
        if (merged.conflicts === 0) {
          for (const line of theirs.filter((item) => item.startsWith("t"))) assert.ok(result.includes(line), `dropped the template's ${line}`);
        }
      }
    }
  });
});

describe("mergeText on random edits (seeded, 2,000 cases)", () => {
  /** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Up to three edits (replace, delete, insert) of `lines`; new lines are tagged so they can be found. */
  const edit = (lines: string[], tag: string, next: () => number): string[] => {
    const out = [...lines];
    const count = 1 + Math.floor(next() * 3);
    for (let n = 0; n < count; n++) {
      const at = Math.floor(next() * (out.length + 1));
      const kind = next();
      if (kind < 0.4 && at < out.length) out[at] = `${tag}${n}-${at}`;
      else if (kind < 0.7 && at < out.length) out.splice(at, 1);
      else out.splice(at, 0, `${tag}${n}+${at}`);
    }
    return out;
  };
  const text = (items: string[]) => items.map((item) => `${item}\n`).join("");

  it("keeps every line the user added, and every line the template added unless there is a conflict; a clean merge has no markers", async () => {
    const next = random(16);
    for (let round = 0; round < 2000; round++) {
      const base = Array.from({ length: 3 + Math.floor(next() * 8) }, (_, index) => `line ${index}`);
      const yours = edit(base, "y", next);
      const theirs = edit(base, "t", next);
      const merged = await mergeText(text(yours), text(base), text(theirs));
      const result = new Set(merged.text.split("\n"));
      const context = `round ${round}:\nbase ${base}\nyours ${yours}\ntheirs ${theirs}\n---\n${merged.text}`;
      for (const line of yours.filter((item) => item.startsWith("y"))) assert.ok(result.has(line), `lost the user's ${line} in ${context}`);
      if (merged.conflicts === 0) {
        assert.ok(!hasConflictMarkers(merged.text), context);
        for (const line of theirs.filter((item) => item.startsWith("t"))) assert.ok(result.has(line), `dropped the template's ${line} in ${context}`);
      } else {
        assert.ok(hasConflictMarkers(merged.text), context);
      }
    }
  });
});

const buffers = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([file, text]) => [file, Buffer.from(text)]));

describe("classifyUpdate", () => {
  it("classifies every case of the table", async () => {
    const inputs: UpdateInputs = {
      base: buffers({
        "same.md": "same\n",
        "untouched.md": "v1\n",
        "edited.ts": lines("a", "b", "c", "d", "e"),
        "clash.ts": "one\n",
        "deleted.md": "v1\n",
        "dropped-clean.md": "old\n",
        "dropped-edited.md": "old\n",
        "already.md": "v1\n",
        ".create-middleware.json": '{"v":1}\n',
      }),
      template: buffers({
        "same.md": "same\n",
        "untouched.md": "v2\n",
        "edited.ts": lines("a", "b", "c", "d", "E"),
        "clash.ts": "two\n",
        "deleted.md": "v2\n",
        "new.md": "new\n",
        "already.md": "v2\n",
        ".create-middleware.json": '{"v":2}\n',
      }),
      yours: buffers({
        "same.md": "my edit\n",
        "untouched.md": "v1\n",
        "edited.ts": lines("A", "b", "c", "d", "e"),
        "clash.ts": "mine\n",
        "dropped-clean.md": "old\n",
        "dropped-edited.md": "changed\n",
        "already.md": "v2\n",
        ".create-middleware.json": '{"v":1,"edited":true}\n',
      }),
    };
    const updates = await classifyUpdate(inputs);
    const status = Object.fromEntries(updates.map((update) => [update.path, update.status]));
    assert.deepEqual(status, {
      ".create-middleware.json": "updated",
      "already.md": "unchanged",
      "clash.ts": "conflict",
      "deleted.md": "unchanged",
      "dropped-clean.md": "removed",
      "dropped-edited.md": "unchanged",
      "edited.ts": "merged",
      "new.md": "added",
      "same.md": "unchanged",
      "untouched.md": "updated",
    });
    const by = new Map(updates.map((update) => [update.path, update]));
    assert.equal(by.get("edited.ts")?.contents?.toString(), lines("A", "b", "c", "d", "E"));
    assert.equal(by.get("dropped-clean.md")?.contents, null, "deleted");
    assert.equal(by.get("deleted.md")?.contents, undefined, "a file you deleted is not brought back");
    assert.match(by.get("deleted.md")?.note ?? "", /stays deleted/);
    assert.equal(by.get("dropped-edited.md")?.contents, undefined, "your changed file is kept");
    assert.equal(by.get("same.md")?.contents, undefined);
    assert.match(by.get("clash.ts")?.contents?.toString() ?? "", /<<<<<<< yours\nmine\n=======\ntwo\n>>>>>>> template\n/);
  });

  it("never merges binary files: both changed is a conflict that keeps yours", async () => {
    const [update] = await classifyUpdate({
      base: new Map([["logo.png", Buffer.from([0, 1, 2])]]),
      template: new Map([["logo.png", Buffer.from([0, 1, 3])]]),
      yours: new Map([["logo.png", Buffer.from([0, 1, 4])]]),
    });
    assert.equal(update?.status, "conflict");
    assert.equal(update?.contents, undefined);
  });

  it("a non-file in the way of a changed template file is a conflict and left alone", async () => {
    const [update] = await classifyUpdate({ base: buffers({ x: "1\n" }), template: buffers({ x: "2\n" }), yours: new Map([["x", null]]) });
    assert.equal(update?.status, "conflict");
    assert.equal(update?.contents, undefined);
  });
});

describe("unifiedDiff", () => {
  it("shows a change with file headers and context", async () => {
    const diff = await unifiedDiff("src/index.ts", Buffer.from("a\nb\n"), Buffer.from("a\nc\n"));
    assert.equal(diff, "--- a/src/index.ts\n+++ b/src/index.ts\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
  });
  it("shows an added and a removed file against /dev/null, and nothing for no change", async () => {
    assert.match(await unifiedDiff("new.md", undefined, Buffer.from("x\n")), /^--- \/dev\/null\n\+\+\+ b\/new\.md\n@@ -0,0 \+1,1 @@\n\+x\n$/);
    assert.match(await unifiedDiff("old.md", Buffer.from("x\n"), null), /^--- a\/old\.md\n\+\+\+ \/dev\/null\n/);
    assert.equal(await unifiedDiff("same.md", Buffer.from("x\n"), undefined), "");
  });
});
