import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { CancelledError, UsageError } from "../../src/errors.js";
import type { Asker } from "../../src/prompts.js";
import { resolveAnswers } from "../../src/resolve-answers.js";

const cwd = path.resolve("/tmp/projects");

/** An Asker that answers from a script and records what it was asked. */
function scriptedAsker(script: Partial<Record<keyof Asker, unknown>>): Asker & { asked: string[] } {
  const asked: string[] = [];
  const answer = (question: keyof Asker) => async () => {
    asked.push(question);
    const value = script[question];
    if (value instanceof Error) throw value;
    if (value === undefined) throw new Error(`unexpected question: ${question}`);
    return value;
  };
  return {
    asked,
    directory: answer("directory"),
    packageName: answer("packageName"),
    target: answer("target"),
    schema: answer("schema"),
    description: answer("description"),
    optionFields: answer("optionFields"),
    install: answer("install"),
    git: answer("git"),
  } as unknown as Asker & { asked: string[] };
}

describe("resolveAnswers", () => {
  it("without an asker takes the documented defaults", async () => {
    const answers = await resolveAnswers({}, { cwd });
    assert.deepEqual(answers, {
      directory: path.join(cwd, "my-middleware"),
      packageName: "my-middleware",
      target: "express",
      schema: "none",
      description: "",
      fields: undefined,
      packageManager: "npm",
      install: true,
      git: true,
    });
  });

  it("flags win and nothing is asked about them", async () => {
    const asker = scriptedAsker({ description: "d", optionFields: [], install: false, git: false });
    const answers = await resolveAnswers(
      { directory: "@acme/my-auth", target: "sio", schema: "zod", option: ["strict:boolean=true"], pm: "pnpm" },
      { cwd, asker },
    );
    assert.equal(answers.packageName, "@acme/my-auth");
    assert.equal(answers.directory, path.join(cwd, "my-auth"));
    assert.equal(answers.target, "socket.io");
    assert.equal(answers.schema, "zod");
    assert.equal(answers.packageManager, "pnpm");
    assert.deepEqual(answers.fields?.map((field) => field.name), ["strict"]);
    assert.deepEqual(asker.asked, ["description", "install", "git"]);
  });

  it("asks, in order, for what no flag answered", async () => {
    const asker = scriptedAsker({
      directory: "my-logger",
      target: "express",
      schema: "valibot",
      description: "Logs",
      optionFields: [{ name: "level", kind: "union", values: ["a", "b"], default: "a", description: "Level." }],
      install: false,
      git: true,
    });
    const answers = await resolveAnswers({}, { cwd, asker });
    assert.deepEqual(asker.asked, ["directory", "target", "schema", "description", "optionFields", "install", "git"]);
    assert.equal(answers.schema, "valibot");
    assert.equal(answers.fields?.[0]?.name, "level");
    assert.equal(answers.install, false);
  });

  it("team config sits between flags and prompts", async () => {
    const answers = await resolveAnswers({ schema: "joi" }, { cwd, config: { schema: "zod", target: "socket.io", install: false } });
    assert.equal(answers.schema, "joi");
    assert.equal(answers.target, "socket.io");
    assert.equal(answers.install, false);
  });

  it("asks for a valid name when the directory's is not one", async () => {
    const asker = scriptedAsker({ packageName: "my-logger", target: "express", schema: "none", description: "", optionFields: [], install: true, git: true });
    const answers = await resolveAnswers({ directory: "My Logger" }, { cwd, asker });
    assert.equal(answers.packageName, "my-logger");
    assert.equal(answers.directory, path.join(cwd, "My Logger"));
  });

  it("refuses an invalid name without a TTY", async () => {
    await assert.rejects(resolveAnswers({ directory: "My Logger" }, { cwd }), /not a valid npm package name.*\n.*--name my-logger/);
  });

  it("refuses unknown values, listing the valid ones, before asking anything", async () => {
    const asker = scriptedAsker({});
    await assert.rejects(resolveAnswers({ target: "koa" }, { cwd, asker }), /Unknown target "koa"\. Valid targets: express, socket\.io/);
    await assert.rejects(resolveAnswers({ schema: "yup" }, { cwd, asker }), /Valid schemas: none, zod, valibot, typebox, joi/);
    await assert.rejects(resolveAnswers({ pm: "deno" }, { cwd, asker }), /Valid package managers: npm, pnpm, yarn, bun/);
    await assert.rejects(resolveAnswers({ option: ["x:nope"] }, { cwd, asker }), UsageError);
    assert.deepEqual(asker.asked, []);
  });

  it("refuses option fields that collide with the target's built-in options", async () => {
    await assert.rejects(resolveAnswers({ option: ["verify:string"], target: "socket.io" }, { cwd }), /"verify" is a built-in option/);
    await assert.rejects(resolveAnswers({ option: ["skip:boolean"] }, { cwd }), /"skip" is a built-in option/);
  });

  it("uses the package manager that launched it, and says so when it does not know it", async () => {
    assert.equal((await resolveAnswers({}, { cwd, userAgent: "yarn/4.1.0 npm/? node/v20.19.0" })).packageManager, "yarn");
    const notices: string[] = [];
    const answers = await resolveAnswers({}, { cwd, userAgent: "deno/2.0", notice: (message) => notices.push(message) });
    assert.equal(answers.packageManager, "npm");
    assert.match(notices[0] ?? "", /Unknown package manager "deno".*using npm/);
  });

  it("a cancelled prompt surfaces as CancelledError", async () => {
    const asker = scriptedAsker({ directory: new CancelledError() });
    await assert.rejects(resolveAnswers({}, { cwd, asker }), CancelledError);
  });
});
