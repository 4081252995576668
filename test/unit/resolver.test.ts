import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { ANSWERS_FILE, formatAnswersFile } from "../../src/answers/answers-file.js";
import type { Asker } from "../../src/answers/prompts.js";
import { loadTemplatePack, resolveCreate, resolveTemplate } from "../../src/answers/resolver.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-resolver-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const env = { XDG_CONFIG_HOME: path.join(scratch, "no-user-config"), GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: path.join(scratch, "none") };

function write(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
}

const pack = path.join(scratch, "pack");
write(path.join(pack, "base", "x.hbs"), "{{vars.team}}");
write(path.join(pack, "pack.json"), {
  questions: [
    { key: "team", type: "text", message: "Team?" },
    { key: "tier", type: "select", message: "Tier?", choices: ["gold", "silver"], default: "silver" },
  ],
});

/** Answers every question from a script; pack questions by key. */
function scriptedAsker(script: Record<string, unknown>, asked: string[]): Asker {
  const answer = (name: string) => async () => {
    asked.push(name);
    if (!(name in script)) throw new Error(`unexpected question: ${name}`);
    return script[name];
  };
  return {
    directory: answer("directory"),
    packageName: answer("packageName"),
    target: answer("target"),
    schema: answer("schema"),
    starter: answer("starter"),
    description: answer("description"),
    optionFields: answer("optionFields"),
    install: answer("install"),
    git: answer("git"),
    packQuestion: async (question, problem) => {
      asked.push(`vars.${question.key}`);
      const value = script[`vars.${question.key}`];
      assert.equal(problem(value as string), undefined, `the scripted answer to ${question.key} is valid`);
      return value as string;
    },
  } as Asker;
}

describe("resolveCreate", () => {
  it("asks the pack's questions through the Asker, after the built-in ones, only what no tier answered", async () => {
    const cwd = path.join(scratch, "asked");
    write(path.join(cwd, "create-middleware.config.json"), { template: "../pack", schema: "zod", author: "Team Lead" });
    const asked: string[] = [];
    const asker = scriptedAsker(
      {
        target: "express",
        starter: "request-id",
        description: "D",
        optionFields: [],
        install: false,
        git: false,
        "vars.team": "edge",
        "vars.tier": "gold",
      },
      asked,
    );
    const resolved = await resolveCreate({ directory: "svc" }, { cwd, asker, env });
    assert.deepEqual(asked, ["target", "starter", "description", "optionFields", "install", "git", "vars.team", "vars.tier"]);
    assert.deepEqual(resolved.vars, { team: "edge", tier: "gold" });
    assert.deepEqual(resolved.varSources, { team: "prompt", tier: "prompt" });
    assert.equal(resolved.answers.schema, "zod");
    assert.equal(resolved.sources.schema, "config");
    assert.equal(resolved.environment.author, "Team Lead");
    assert.equal(resolved.pack?.source.kind, "folder");
  });

  it("an answers file beats the config, and flags beat the answers file", async () => {
    const cwd = path.join(scratch, "replayed");
    write(path.join(cwd, "create-middleware.config.json"), { target: "socket.io", vars: { team: "config-team" }, author: "Config Author" });
    write(
      path.join(cwd, "old", ANSWERS_FILE),
      formatAnswersFile({
        version: 1,
        createMiddleware: "0.1.0",
        template: { source: "../../pack", resolved: "0".repeat(64) },
        answers: {
          packageName: "@acme/old",
          target: "express",
          schema: "joi",
          starter: null,
          description: "Old.",
          options: null,
          vars: { team: "recorded" },
          author: "Recorded",
          year: 2024,
          license: "MIT",
        },
      }),
    );
    const notices: string[] = [];
    const resolved = await resolveCreate(
      { answers: `old/${ANSWERS_FILE}`, schema: "none", var: ["tier=gold"] },
      { cwd, env, notice: (message) => notices.push(message) },
    );
    assert.equal(resolved.answers.packageName, "@acme/old");
    assert.equal(resolved.answers.directory, path.join(cwd, "old"));
    assert.equal(resolved.answers.target, "express");
    assert.equal(resolved.answers.schema, "none");
    assert.deepEqual(resolved.vars, { team: "recorded", tier: "gold" });
    assert.deepEqual(resolved.environment, { author: "Recorded", year: 2024, license: "MIT" });
    assert.deepEqual(resolved.sources.target, "answers");
    assert.match(notices.join("\n"), /has changed since the answers file was written/);
  });

  it("an answers file made with the built-in templates replays with them, whatever pack the config names", async () => {
    const cwd = path.join(scratch, "builtin-replay");
    write(path.join(cwd, "create-middleware.config.json"), { template: "../pack", vars: { team: "x" } });
    write(
      path.join(cwd, "pkg", ANSWERS_FILE),
      formatAnswersFile({
        version: 1,
        createMiddleware: "0.1.0",
        template: null,
        answers: {
          packageName: "pkg",
          target: "express",
          schema: "none",
          starter: null,
          description: "",
          options: null,
          vars: {},
          author: "A",
          year: 2025,
          license: "MIT",
        },
      }),
    );
    const resolved = await resolveCreate({ answers: `pkg/${ANSWERS_FILE}` }, { cwd, env });
    assert.equal(resolved.pack, undefined);
    assert.deepEqual(resolved.vars, {});
    assert.equal(resolved.sources.template, "answers");
  });
});

describe("resolveTemplate: the checks every caller shares (the library, check, create)", () => {
  const narrow = path.join(scratch, "narrow-pack");
  write(path.join(narrow, "base", "x.hbs"), "{{vars.region}}");
  write(path.join(narrow, "starters", "express", "audit", "src", "index.ts.hbs"), "// audit");
  write(path.join(narrow, "pack.json"), {
    targets: ["express"],
    schemas: ["zod"],
    questions: [{ key: "region", type: "select", message: "Region?", choices: ["eu", "us"], default: "eu" }],
  });
  const input = { cwd: scratch, environment: { author: "A", year: 2026, license: "MIT" } };

  it("loads a pack source, answers its questions from the given vars and their defaults", async () => {
    const resolved = await resolveTemplate({ target: "express", schema: "zod", starter: "audit" }, { ...input, template: narrow });
    assert.equal(resolved.pack?.source.kind, "folder");
    assert.deepEqual(resolved.vars, { region: "eu" });
    const given = await resolveTemplate(
      { target: "express", schema: "zod", starter: "blank" },
      { ...input, template: resolved.pack, vars: { region: "us" } },
    );
    assert.deepEqual(given.vars, { region: "us" });
  });

  it("refuses a target, schema or starter the pack does not have, and a var its question refuses", async () => {
    const pack = await loadTemplatePack(narrow, { base: scratch, offline: true });
    const refuse = (answers: { target: "express" | "socket.io"; schema: "zod" | "none"; starter: string }, vars = {}) =>
      resolveTemplate(answers, { ...input, template: pack, vars });
    await assert.rejects(refuse({ target: "socket.io", schema: "zod", starter: "blank" }), /supports the targets express, not socket\.io/);
    await assert.rejects(refuse({ target: "express", schema: "none", starter: "blank" }), /supports the schemas zod, not none/);
    await assert.rejects(refuse({ target: "express", schema: "zod", starter: "nope" }), /Unknown starter "nope"/);
    await assert.rejects(refuse({ target: "express", schema: "zod", starter: "blank" }, { region: "mars" }), /region/);
    // Without the pack, its starter is no starter at all.
    await assert.rejects(resolveTemplate({ target: "express", schema: "zod", starter: "audit" }, input), /Unknown starter "audit"/);
  });
});
