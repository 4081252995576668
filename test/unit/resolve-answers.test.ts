import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { CancelledError, UsageError } from "../../src/errors.js";
import type { Asker } from "../../src/answers/prompts.js";
import { parseOptionSpec, type OptionField } from "../../src/answers/option-fields.js";
import { resolveAnswers } from "../../src/answers/resolve-answers.js";

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
    starter: answer("starter"),
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
      starter: "request-id",
      description: "",
      fields: undefined,
      packageManager: "npm",
      install: true,
      git: true,
    });
  });

  it("reask (update -i): target, starter and schema are asked again with the replayed answers preselected; a flag still wins unasked", async () => {
    const preselected: Record<string, unknown> = {};
    const asker = {
      ...scriptedAsker({}),
      target: async (initial?: string) => ((preselected.target = initial), "express"),
      starter: async (_target: string, _extra: unknown, initial?: string) => ((preselected.starter = initial), "logger"),
      schema: async (initial?: string) => ((preselected.schema = initial), "valibot"),
    } as unknown as Asker;
    const replay = {
      packageName: "@acme/rl",
      target: "express",
      schema: "zod",
      starter: "rate-limit",
      description: "",
      options: null,
      repository: null,
      updateWorkflow: false,
    } as const;
    const answers = await resolveAnswers({ install: false, git: false }, { cwd, asker, replay, reask: true });
    assert.deepEqual(preselected, { target: "express", starter: "rate-limit", schema: "zod" });
    assert.deepEqual([answers.target, answers.starter, answers.schema], ["express", "logger", "valibot"]);

    const flagged = await resolveAnswers({ install: false, git: false, schema: "joi" }, { cwd, asker, replay, reask: true });
    assert.equal(flagged.schema, "joi");
    const plain = await resolveAnswers({ install: false, git: false }, { cwd, asker: scriptedAsker({}), replay });
    assert.deepEqual([plain.starter, plain.schema], ["rate-limit", "zod"], "without reask a replayed answer is taken, nothing asked");
  });

  it("flags win and nothing is asked about them", async () => {
    const asker = scriptedAsker({ description: "d", optionFields: [], install: false, git: false });
    const answers = await resolveAnswers(
      { directory: "@acme/my-auth", target: "sio", schema: "zod", starter: "auth", option: ["strict:boolean=true"], pm: "pnpm" },
      { cwd, asker },
    );
    assert.equal(answers.packageName, "@acme/my-auth");
    assert.equal(answers.directory, path.join(cwd, "my-auth"));
    assert.equal(answers.target, "socket.io");
    assert.equal(answers.schema, "zod");
    assert.equal(answers.starter, "auth");
    assert.equal(answers.packageManager, "pnpm");
    assert.deepEqual(
      answers.fields?.map((field) => field.name),
      ["strict"],
    );
    assert.deepEqual(asker.asked, ["description", "install", "git"]);
  });

  it("asks, in order, for what no flag answered", async () => {
    const asker = scriptedAsker({
      directory: "my-logger",
      target: "express",
      schema: "valibot",
      starter: "logger",
      description: "Logs",
      optionFields: [{ name: "level", kind: "union", values: ["a", "b"], default: "a", description: "Level." }],
      install: false,
      git: true,
    });
    const answers = await resolveAnswers({}, { cwd, asker });
    assert.deepEqual(asker.asked, ["directory", "target", "starter", "schema", "description", "optionFields", "install", "git"]);
    assert.equal(answers.schema, "valibot");
    assert.equal(answers.starter, "logger");
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
    const asker = scriptedAsker({
      packageName: "my-logger",
      target: "express",
      starter: "blank",
      schema: "none",
      description: "",
      optionFields: [],
      install: true,
      git: true,
    });
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
    await assert.rejects(resolveAnswers({ starter: "cache" }, { cwd, asker }), /Unknown starter "cache"/);
    await assert.rejects(resolveAnswers({ starter: "request-time", target: "sio" }, { cwd, asker }), /does not exist for socket\.io/);
    assert.deepEqual(asker.asked, []);
  });

  it("refuses a starter the target does not have, listing the target's starters", async () => {
    await assert.rejects(
      resolveAnswers({ target: "socket.io", starter: "request-time" }, { cwd }),
      /The starter "request-time" does not exist for socket\.io\. Valid starters for socket\.io: blank, logger, auth, rate-limit\./,
    );
    await assert.rejects(
      resolveAnswers({ starter: "nope" }, { cwd }),
      /Unknown starter "nope"\. Valid starters for express: blank, request-id, logger, request-time, async-guard, auth, rate-limit\./,
    );
    await assert.rejects(resolveAnswers({ starter: "request-time" }, { cwd, config: { target: "socket.io" } }), /does not exist for socket\.io/);
  });

  it("defaults the starter per target, so --yes gives what it always gave", async () => {
    assert.equal((await resolveAnswers({ target: "express" }, { cwd })).starter, "request-id");
    assert.equal((await resolveAnswers({ target: "sio" }, { cwd })).starter, "auth");
    assert.equal((await resolveAnswers({ target: "express" }, { cwd, config: { starter: "logger" } })).starter, "logger");
  });

  it("checks option fields against the chosen starter's own function options", async () => {
    await assert.rejects(resolveAnswers({ option: ["validate:string"], starter: "async-guard" }, { cwd }), /"validate" is a built-in option/);
    const answers = await resolveAnswers({ option: ["validate:string"], starter: "logger" }, { cwd });
    assert.equal(answers.fields?.[0]?.name, "validate");
  });

  it("refuses option fields that collide with the starter's built-in options", async () => {
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

describe("the config tier (team defaults between flags and prompts)", () => {
  const config = {
    target: "sio",
    starter: "auth",
    schema: "zod",
    description: "From the team.",
    option: ["level:info|debug=info"],
    pm: "pnpm",
    install: false,
    git: false,
  };

  it("answers every question it has, so nothing is asked about those", async () => {
    const asker = scriptedAsker({ directory: "my-logger" });
    const answers = await resolveAnswers({}, { cwd, asker, config });
    assert.deepEqual(asker.asked, ["directory"]);
    assert.equal(answers.target, "socket.io");
    assert.equal(answers.starter, "auth");
    assert.equal(answers.schema, "zod");
    assert.equal(answers.description, "From the team.");
    assert.deepEqual(
      answers.fields?.map((field) => [field.name, field.default]),
      [["level", "info"]],
    );
    assert.equal(answers.packageManager, "pnpm");
    assert.equal(answers.install, false);
    assert.equal(answers.git, false);
  });

  it("loses to every flag", async () => {
    const flags = {
      target: "express",
      starter: "rate-limit",
      schema: "joi",
      description: "Mine.",
      option: ["max:number=3"],
      pm: "yarn",
      install: true,
      git: true,
    };
    const answers = await resolveAnswers(flags, { cwd, config });
    assert.equal(answers.target, "express");
    assert.equal(answers.starter, "rate-limit");
    assert.equal(answers.schema, "joi");
    assert.equal(answers.description, "Mine.");
    assert.deepEqual(
      answers.fields?.map((field) => field.name),
      ["max"],
    );
    assert.equal(answers.packageManager, "yarn");
    assert.equal(answers.install, true);
    assert.equal(answers.git, true);
  });

  it("wins over the defaults without a TTY, and is validated like a flag", async () => {
    const answers = await resolveAnswers({}, { cwd, config: { schema: "valibot" } });
    assert.equal(answers.schema, "valibot");
    assert.equal(answers.target, "express");
    await assert.rejects(resolveAnswers({}, { cwd, config: { target: "koa" } }), /Unknown target "koa"/);
    await assert.rejects(resolveAnswers({}, { cwd, config: { option: ["skip:boolean"] } }), /"skip" is a built-in option/);
  });
});

describe("prompt validation", () => {
  it("tells the prompts what is wrong with a name or an option spec, and undefined when nothing is", async () => {
    const seen: Array<string | undefined> = [];
    const asker = {
      ...scriptedAsker({ target: "express", starter: "request-id", schema: "none", description: "", install: false, git: false }),
      async packageName(_initial: string, problem: (name: string) => string | undefined) {
        seen.push(problem("Bad Name"), problem("good-name"));
        return "good-name";
      },
      async optionFields(problem: (spec: string, sofar: OptionField[]) => string | undefined) {
        const level = parseOptionSpec("level:info|debug");
        seen.push(problem("nope", []), problem("skip:boolean", []), problem("level:string", [level]), problem("max:number=3", [level]));
        return [level];
      },
    };
    const answers = await resolveAnswers({ directory: "Bad Name" }, { cwd, asker });
    assert.equal(answers.packageName, "good-name");
    assert.match(seen[0] ?? "", /^"Bad Name" is not a valid npm package name: /);
    assert.equal(seen[1], undefined);
    assert.match(seen[2] ?? "", /^Invalid --option "nope": it has no type\.$/);
    assert.match(seen[3] ?? "", /"skip" is a built-in option of this starter \(skip, onRequest, generator\)/);
    assert.match(seen[4] ?? "", /"level" is given twice/);
    assert.equal(seen[5], undefined);
  });
});

describe("resolveAnswers: the repository", () => {
  it("--repo is normalised to the web URL; a value that is no repository is a usage error before any question", async () => {
    const answers = await resolveAnswers({ repo: "git@github.com:acme/my-logger.git" }, { cwd });
    assert.equal(answers.repository, "https://github.com/acme/my-logger");
    const asker = scriptedAsker({});
    await assert.rejects(resolveAnswers({ repo: "not a repository" }, { cwd, asker }), UsageError);
    assert.deepEqual(asker.asked, []);
  });

  it("the prompt offers the git remote of the folder the package goes in, and an empty answer means none", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "resolve-repository-"));
    try {
      mkdirSync(path.join(root, ".git"));
      writeFileSync(path.join(root, ".git", "config"), '[remote "origin"]\n\turl = https://github.com/acme/monorepo.git\n');
      const offered: string[] = [];
      const answer = (value: string) =>
        Object.assign(scriptedAsker({ description: "", optionFields: [], install: false, git: false }), {
          repository: async (initial: string) => {
            offered.push(initial);
            return value;
          },
        });
      const flags = { directory: "my-logger", target: "express", starter: "request-id", schema: "none" };
      assert.equal((await resolveAnswers(flags, { cwd: root, asker: answer("https://gitlab.com/team/x") })).repository, "https://gitlab.com/team/x");
      assert.equal((await resolveAnswers(flags, { cwd: root, asker: answer("") })).repository, undefined);
      assert.deepEqual(offered, ["https://github.com/acme/monorepo", "https://github.com/acme/monorepo"]);
      // Without a prompt the remote is taken, and the user is told so.
      const notices: string[] = [];
      const taken = await resolveAnswers(flags, { cwd: root, notice: (message) => notices.push(message) });
      assert.equal(taken.repository, "https://github.com/acme/monorepo");
      assert.match(notices.join("\n"), /https:\/\/github\.com\/acme\/monorepo.*--repo/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
