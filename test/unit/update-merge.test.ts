import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
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
    // A small exhaustive check over edits of a 3-line file: replace, delete, insert on each side.
    const original = ["1", "2", "3"];
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

describe("mergeText is git merge-file (property: random edits, CRLF, missing final newlines)", () => {
  /** git merge-file -p on three files of a scratch folder, as a person would run it. */
  const gitMerge = (yours: string, base: string, theirs: string) => {
    const folder = mkdtempSync(path.join(tmpdir(), "cm-merge-oracle-"));
    try {
      writeFileSync(path.join(folder, "y"), yours);
      writeFileSync(path.join(folder, "b"), base);
      writeFileSync(path.join(folder, "t"), theirs);
      const result = spawnSync("git", ["merge-file", "-p", "-L", "yours", "-L", "base", "-L", "template", "y", "b", "t"], {
        cwd: folder,
        encoding: "utf8",
      });
      return { text: result.stdout, conflicts: result.status ?? -1 };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };
  /** Up to four edits (replace, delete, insert, split a line in two paragraphs) of `lines`, tagged. */
  const edits = (tag: string) =>
    fc
      .array(fc.tuple(fc.nat(20), fc.constantFrom("replace", "delete", "insert", "split", "blank")), { minLength: 1, maxLength: 4 })
      .map((steps) => (lines: string[]) => {
        const out = [...lines];
        steps.forEach(([where, kind], n) => {
          const at = where % (out.length + 1);
          if (kind === "replace" && at < out.length) out[at] = `${tag}${n}`;
          else if (kind === "delete" && at < out.length) out.splice(at, 1);
          else if (kind === "split" && at < out.length) out.splice(at, 1, `${out[at]} (1)`, "", `${out[at]} (2)`);
          else if (kind === "blank") out.splice(at, 0, "");
          else out.splice(at, 0, `${tag}+${n}`);
        });
        return out;
      });
  // Few distinct lines, so the alignment has choices to make (where diff3 implementations differ).
  const baseLines = fc.array(fc.constantFrom("a", "b", "c", "", "```", "## Usage", "text"), { minLength: 0, maxLength: 12 });
  const join = (lines: string[], crlf: boolean, finalNewline: boolean) => {
    const eol = crlf ? "\r\n" : "\n";
    const text = lines.join(eol);
    return lines.length === 0 ? "" : finalNewline ? text + eol : text;
  };

  it("gives exactly what git merge-file gives (text and number of conflicts)", async () => {
    await fc.assert(
      fc.asyncProperty(baseLines, edits("y"), edits("t"), fc.boolean(), fc.boolean(), async (base, editYours, editTheirs, finalNewline, crlf) => {
        const yours = join(editYours(base), crlf, finalNewline);
        const baseText = join(base, false, finalNewline);
        const theirs = join(editTheirs(base), false, true);
        const merged = await mergeText(yours, baseText, theirs);
        // The wrapper's one documented difference: a CRLF file of yours gives the other two its line endings.
        // The wrapper's one documented difference: a file of yours all in CRLF gives the other two its line endings.
        const allCrlf = yours.includes("\r\n") && !/(^|[^\r])\n/.test(yours);
        const toYours = (text: string) => (allCrlf ? text.replace(/\n/g, "\r\n") : text);
        const expected =
          yours === baseText || yours === theirs
            ? { text: theirs, conflicts: 0 }
            : theirs === baseText
              ? { text: yours, conflicts: 0 }
              : gitMerge(yours, toYours(baseText), toYours(theirs));
        // The one rule on top of git's: a whitespace-only side never makes a conflict.
        const bare = (text: string) => text.replace(/\s+/g, "");
        if (expected.conflicts > 0 && (bare(yours) === bare(baseText) || bare(yours) === bare(theirs)))
          Object.assign(expected, { text: theirs, conflicts: 0 });
        else if (expected.conflicts > 0 && bare(theirs) === bare(baseText)) Object.assign(expected, { text: yours, conflicts: 0 });
        assert.deepEqual(merged, expected);
        assert.equal(hasConflictMarkers(merged.text), merged.conflicts > 0);
      }),
      { numRuns: 80 },
    );
  });

  it("the template splits a paragraph, the user edits a line below: merged, no conflict (copier tests/test_updatediff.py::test_updatediff, the grog edit)", async () => {
    // node-diff3 (the engine before) left a conflict here; git merge-file, GNU diff3 and copier merge it.
    const base = lines("```", "", "Some text.", "", "```", "More text.", "Some text.", "", "", "", "");
    const template = lines("```", "", "Some text.", "", "```", "More text.", "Part A.", "", "Part B.", "", "", "", "");
    const yours = lines("```", "", "Some text.", "", "```", "More text.", "Some text.", "", "mine", "", "");
    const merged = await mergeText(yours, base, template);
    assert.equal(merged.conflicts, 0, merged.text);
    assert.equal(merged.text, lines("```", "", "Some text.", "", "```", "More text.", "Part A.", "", "Part B.", "", "mine", "", ""));
  });

  it("similar blocks do not confuse the merge: a function the template adds above, a line the user added below (copier tests/test_updatediff.py::test_update_needs_more_context)", async () => {
    const same = '    print("This line is equal to the next one.")';
    const block = (name: string, extra?: string) => [
      `def ${name}():`,
      same,
      same,
      ...(extra ? [extra] : []),
      same,
      same,
      '    print("Previous line lied.")',
      "",
    ];
    const base = lines(...block("function_one"), ...block("function_two"));
    const yours = lines(...block("function_one"), ...block("function_two", '    print("This line is new.")'));
    const template = lines(...block("function_zero"), ...block("function_one"), ...block("function_two"));
    const merged = await mergeText(yours, base, template);
    assert.equal(merged.conflicts, 0, merged.text);
    assert.equal(merged.text, lines(...block("function_zero"), ...block("function_one"), ...block("function_two", '    print("This line is new.")')));
  });

  it("whitespace-only edits never conflict: reindented by you, or by the template", async () => {
    const base = lines("function f() {", "  return 1;", "}");
    const reindented = lines("function f() {", "    return 1;", "}");
    const changed = lines("function f() {", "  return 2;", "}");
    assert.deepEqual(await mergeText(reindented, base, changed), { text: changed, conflicts: 0 }, "yours only reformatted: the template's change");
    assert.deepEqual(await mergeText(changed, base, reindented), { text: changed, conflicts: 0 }, "the template only reformatted: yours stays");
    assert.deepEqual(
      await mergeText(lines("function f() {", "  return 1; ", "}"), base, changed),
      { text: changed, conflicts: 0 },
      "a trailing space",
    );
  });

  it("both sides added the same file with one line different: the conflict is that line only", async () => {
    const merged = await mergeText(lines("x", "y", "z"), "", lines("x", "Q", "z"));
    assert.deepEqual(merged, { text: lines("x", "<<<<<<< yours", "y", "=======", "Q", ">>>>>>> template", "z"), conflicts: 1 });
  });

  it("ignores the user's merge.conflictStyle: the markers are always the documented ones", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "cm-merge-config-"));
    try {
      const config = path.join(folder, "gitconfig");
      writeFileSync(config, "[merge]\n\tconflictStyle = diff3\n");
      const merged = await mergeText("mine\n", "base\n", "theirs\n", { ...process.env, GIT_CONFIG_GLOBAL: config });
      assert.equal(merged.text, lines("<<<<<<< yours", "mine", "=======", "theirs", ">>>>>>> template"));
    } finally {
      rmSync(folder, { recursive: true, force: true });
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
