/**
 * The CLI boundary for flags (src/commands/flags.ts): commander's values become each command's typed flags,
 * and each command's declaration matches the options cli.ts defines for it, name and kind.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { CHECK_FLAGS } from "../../src/commands/check.js";
import { CREATE_FLAGS } from "../../src/commands/create.js";
import { DIFF_FLAGS } from "../../src/commands/diff.js";
import { LINK_FLAGS } from "../../src/commands/link.js";
import { readFlags } from "../../src/commands/flags.js";
import { OUTDATED_FLAGS } from "../../src/commands/outdated.js";
import { UPDATE_FLAGS } from "../../src/commands/update.js";

const CLI = readFileSync(path.join(import.meta.dirname, "..", "..", "src", "cli.ts"), "utf8");

/** The options cli.ts defines in one function (addCheck, buildProgram, ...), as name -> kind. */
function declaredIn(functionName: string): Record<string, string> {
  const start = CLI.indexOf(`function ${functionName}(`);
  assert.ok(start >= 0, `cli.ts has ${functionName}`);
  const end = CLI.indexOf("\nfunction ", start + 1);
  const body = CLI.slice(start, end === -1 ? undefined : end);
  const options: Record<string, string> = {};
  // An option whose arguments wrap starts its own line: `.option(\n  "--pull-request",` is read as one.
  for (const line of body.replace(/\(\s*\n\s*"/g, '("').split("\n")) {
    const match = /(?:\.option|new Option)\(\s*"(?:-\w, )?--([a-z-]+)( <[^>]*>)?"/.exec(line);
    if (!match) continue;
    const [, long = "", argument] = match;
    const name = long.replace(/^no-/, "").replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    // --install and --no-install both declare the boolean "install"; <x...> and a collected option are lists.
    options[name] = argument === undefined ? "boolean" : argument.includes("...") || /, collect\)$/.test(line.trim()) ? "strings" : "string";
  }
  return options;
}

describe("flags at the CLI boundary", () => {
  it("each command declares exactly the options cli.ts gives it, with their kinds", () => {
    const sorted = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
    assert.deepEqual(sorted(declaredIn("buildProgram")), sorted(CREATE_FLAGS));
    assert.deepEqual(sorted(declaredIn("addCheck")), sorted(CHECK_FLAGS));
    assert.deepEqual(sorted(declaredIn("addUpdate")), sorted(UPDATE_FLAGS));
    assert.deepEqual(sorted(declaredIn("addOutdated")), sorted(OUTDATED_FLAGS));
    assert.deepEqual(sorted(declaredIn("addDiff")), sorted(DIFF_FLAGS));
    assert.deepEqual(sorted(declaredIn("addLink")), sorted(LINK_FLAGS));
  });

  it("passes declared values through typed, leaving out the absent ones", () => {
    const flags = readFlags(
      { json: true, template: "./pack", var: ["a=1"], offline: undefined },
      { json: "boolean", template: "string", var: "strings", offline: "boolean" },
    );
    assert.deepEqual(flags, { json: true, template: "./pack", var: ["a=1"] });
  });

  it("refuses an option the command does not declare, and a value of another kind", () => {
    assert.throws(() => readFlags({ interactive: true }, { json: "boolean" }), /"interactive" reached a command that does not declare it/);
    assert.throws(() => readFlags({ json: "yes" }, { json: "boolean" }), /"json" should be a boolean/);
    assert.throws(() => readFlags({ var: "a=1" }, { var: "strings" }), /"var" should be a list of strings/);
    assert.throws(() => readFlags({ pm: ["npm"] }, { pm: "string" }), /"pm" should be a string/);
  });
});
