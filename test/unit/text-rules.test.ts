/** Control characters, malformed scopes and header names: refused with a message naming the problem (items 10-12). */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { directoryProblem, packageNameProblem } from "../../src/answers/names.js";
import { optionSpecProblem, parseOptionSpec } from "../../src/answers/option-fields.js";
import { parseVarFlags } from "../../src/packs/questions.js";
import type { Asker } from "../../src/answers/prompts.js";
import { resolveAnswers } from "../../src/answers/resolve-answers.js";
import { controlCharacterProblem, describeCharacter, descriptionProblem } from "../../src/answers/text-rules.js";

describe("control characters", () => {
  it("are named by code point and, for C0, the key that types them", () => {
    assert.equal(describeCharacter("\u0015"), "U+0015 (Ctrl-U)");
    assert.equal(describeCharacter("\u0000"), "U+0000 (NUL)");
    assert.equal(describeCharacter("\u001b"), "U+001B (escape)");
    assert.equal(describeCharacter("\u202e"), "U+202E (a bidirectional control)");
    assert.equal(describeCharacter("\u0085"), "U+0085 (next line)");
  });
  it("are refused in every kind of text, the message escaping them", () => {
    const problem = controlCharacterProblem("\u0015rate-guard", "The directory");
    assert.match(problem ?? "", /The directory contains the control character U\+0015 \(Ctrl-U\) at character 1: "\\u0015rate-guard"/);
    assert.doesNotMatch(problem ?? "", /\u0015/);
    for (const text of ["a\u0000b", "tab\t", "new\nline", "\u007f", "x\u2028y", "rlo\u202e", "\u2066iso"]) {
      assert.ok(controlCharacterProblem(text, "The text"), JSON.stringify(text));
    }
    for (const text of ["café", "😀", "a\u200db", "日本語", "quotes \" ' `"]) assert.equal(controlCharacterProblem(text, "The text"), undefined);
  });
  it("in a description, a package name, a directory, an option spec and a --var value", () => {
    assert.match(descriptionProblem("nul\u0000") ?? "", /The description contains the control character U\+0000/);
    assert.match(descriptionProblem("x".repeat(501)) ?? "", /longer than 500/);
    assert.match(packageNameProblem("x\u0007y") ?? "", /The package name contains the control character U\+0007/);
    assert.match(directoryProblem("\u0015rate-guard") ?? "", /U\+0015 \(Ctrl-U\)/);
    assert.match(
      optionSpecProblem("title:string=a\u0007b") ?? "",
      /Invalid --option "title:string=a\\u0007b": it contains the control character U\+0007/,
    );
    assert.throws(() => parseVarFlags(["region=eu\u001b[2J"]), /--var region contains the control character U\+001B/);
  });
});

describe("the directory argument", () => {
  for (const bad of ["@/x", "@a/b/c", "@a/", "@", "@@a/b", "@a//b", "@ a/b"]) {
    it(`${JSON.stringify(bad)} is not a scoped name: refused`, () =>
      assert.match(directoryProblem(bad) ?? "", /scoped package name|not a valid npm package name/));
  }
  for (const bad of ["", " ", "\t"]) it(`${JSON.stringify(bad)} is empty: refused`, () => assert.match(directoryProblem(bad) ?? "", /empty/));
  for (const fine of ["my-logger", "@acme/my-logger", "./@a/b/c", "a/b", ".", "../x"]) {
    it(`${JSON.stringify(fine)} is fine`, () => assert.equal(directoryProblem(fine), undefined));
  }
});

describe("an option named header", () => {
  for (const bad of ["bad header", "", "x:y", "xé", 'a"b', "(x)"]) {
    it(`refuses the default ${JSON.stringify(bad)}, which no response can carry`, () =>
      assert.match(optionSpecProblem(`header:string=${bad}`) ?? "", /not a valid HTTP header name/));
  }
  it("accepts a token, and a header option without a default", () => {
    assert.equal(parseOptionSpec("header:string=X-Trace_Id.v2").default, "X-Trace_Id.v2");
    assert.equal(optionSpecProblem("header:string"), undefined);
    assert.equal(optionSpecProblem("headers:string=any thing"), undefined, "only `header` carries a header name");
  });
});

describe("prompts check each answer at once (item 14)", () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), "cm-prompt-checks-"));
    await mkdir(path.join(cwd, "busy"));
    await writeFile(path.join(cwd, "busy", "notes.txt"), "mine");
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  /** An Asker whose directory and description answers are checked by the problem functions it is given. */
  function checkingAsker(directories: string[], descriptions: string[]) {
    const refused: string[] = [];
    const firstAccepted = async (answers: string[], problem?: (value: string) => string | undefined) => {
      for (const answer of answers) {
        const found = problem?.(answer);
        if (found === undefined) return answer;
        refused.push(found);
      }
      throw new Error("every answer was refused");
    };
    const asker = {
      directory: (_initial: string, problem?: (value: string) => string | undefined) => firstAccepted(directories, problem),
      description: (problem?: (value: string) => string | undefined) => firstAccepted(descriptions, problem),
      target: async () => "express",
      starter: async () => "request-id",
      schema: async () => "none",
      optionFields: async () => [],
      install: async () => false,
      git: async () => false,
    } as unknown as Asker;
    return { asker, refused };
  }

  it("refuses `.` or a busy folder, a control character and a long description at their own prompts", async () => {
    const { asker, refused } = checkingAsker(["busy", "\u0015rate-guard", "@a/b/c", "fresh"], ["x".repeat(600), "nul\u0000", "fine"]);
    const answers = await resolveAnswers({}, { cwd, asker });
    assert.equal(path.basename(answers.directory), "fresh");
    assert.equal(answers.description, "fine");
    assert.equal(refused.length, 5);
    assert.match(refused[0]!, /busy is not empty \(contains: notes\.txt\)/);
    assert.match(refused[1]!, /U\+0015 \(Ctrl-U\)/);
    assert.match(refused[2]!, /scoped package name/);
    assert.match(refused[3]!, /longer than 500/);
    assert.match(refused[4]!, /U\+0000/);
  });
  it("with --force, a busy folder is accepted at the prompt", async () => {
    const { asker } = checkingAsker(["busy"], [""]);
    const answers = await resolveAnswers({}, { cwd, asker, force: true });
    assert.equal(path.basename(answers.directory), "busy");
  });
  it("flags are checked before any question", async () => {
    const { asker, refused } = checkingAsker(["x"], [""]);
    await assert.rejects(resolveAnswers({ description: "bell\u0007" }, { cwd, asker }), UsageError);
    await assert.rejects(resolveAnswers({ directory: "@/x" }, { cwd, asker }), /scoped package name/);
    assert.deepEqual(refused, []);
  });
});
