import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { ANSWERS_FILE, formatAnswersFile, formatOptionSpec, readAnswersFile, type AnswersFile } from "../../src/answers/answers-file.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import { loadTeamConfig, userConfigFile } from "../../src/answers/team-config.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-config-unit-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const write = (file: string, value: unknown) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
};

describe("team config discovery", () => {
  const home = path.join(scratch, "home");
  const env = { XDG_CONFIG_HOME: path.join(home, ".config") };
  write(userConfigFile(env, "linux"), { author: "Ann Lee", license: "Apache-2.0", vars: { region: "eu", team: "me" } });
  const repo = path.join(scratch, "repo");
  write(path.join(repo, "create-middleware.config.json"), { scope: "acme", template: "./packs/mw", vars: { team: "core" } });
  write(path.join(repo, "services", "package.json"), { name: "services", private: true });
  const workspace = path.join(scratch, "workspace");
  write(path.join(workspace, "package.json"), { name: "ws", "create-middleware": { target: "socket.io", schema: "zod" } });

  it("takes the nearest project file upward, over the user's file, field by field", () => {
    const config = loadTeamConfig(path.join(repo, "services"), env);
    assert.equal(config.scope, "@acme");
    assert.equal(config.author, "Ann Lee");
    assert.equal(config.license, "Apache-2.0");
    assert.equal(config.template, "./packs/mw");
    assert.equal(config.templateBase, repo);
    assert.deepEqual(config.vars, { region: "eu", team: "core" });
    assert.deepEqual(config.files, [path.join(repo, "create-middleware.config.json"), userConfigFile(env, "linux")]);
  });

  it('reads a "create-middleware" key in package.json', () => {
    const config = loadTeamConfig(workspace, env);
    assert.equal(config.target, "socket.io");
    assert.equal(config.schema, "zod");
    assert.equal(config.author, "Ann Lee");
  });

  it("ignores a broken package.json on the way up, but not a broken key in a good one", () => {
    const broken = path.join(scratch, "broken-pkg");
    write(path.join(broken, "package.json"), "{ not json");
    assert.deepEqual(loadTeamConfig(broken, { XDG_CONFIG_HOME: path.join(scratch, "none") }).files, []);
    const typo = path.join(scratch, "typo-pkg");
    write(path.join(typo, "package.json"), { name: "x", "create-middleware": { scheme: "zod" } });
    assert.throws(() => loadTeamConfig(typo, env), /package\.json "create-middleware": unknown field "scheme"\. Did you mean "schema"\?/);
  });

  it("reads updateWorkflow, true or false, the project file's over the user's", () => {
    const team = path.join(scratch, "team-off");
    write(path.join(team, "create-middleware.config.json"), { updateWorkflow: false });
    assert.equal(loadTeamConfig(team, env).updateWorkflow, false);
    const userOn = { XDG_CONFIG_HOME: path.join(scratch, "user-on") };
    write(userConfigFile(userOn, "linux"), { updateWorkflow: true });
    assert.equal(loadTeamConfig(path.join(scratch, "nowhere"), userOn).updateWorkflow, true);
    assert.equal(loadTeamConfig(team, userOn).updateWorkflow, false);
  });

  it("is empty without any file", () => {
    assert.deepEqual(loadTeamConfig(path.join(scratch, "nowhere"), { XDG_CONFIG_HOME: path.join(scratch, "none") }), { files: [] });
  });

  it("refuses unknown fields, wrong types and bad JSON, naming the file", () => {
    const bad = path.join(scratch, "bad");
    write(path.join(bad, "create-middleware.config.json"), { tempalte: "./x" });
    assert.throws(
      () => loadTeamConfig(bad, env),
      /create-middleware\.config\.json: unknown field "tempalte"\. Did you mean "template"\? Known fields: scope, author/,
    );
    write(path.join(bad, "create-middleware.config.json"), { colour: "red" });
    assert.throws(
      () => loadTeamConfig(bad, env),
      (error: Error) => /unknown field "colour"\. Known fields/.test(error.message) && !/Did you mean/.test(error.message),
    );
    write(path.join(bad, "create-middleware.config.json"), { target: 3 });
    assert.throws(() => loadTeamConfig(bad, env), /"target" must be a non-empty string/);
    write(path.join(bad, "create-middleware.config.json"), { updateWorkflow: "yes" });
    assert.throws(() => loadTeamConfig(bad, env), /create-middleware\.config\.json: "updateWorkflow" must be true or false\./);
    write(path.join(bad, "create-middleware.config.json"), { updateWorkflo: true });
    assert.throws(() => loadTeamConfig(bad, env), /unknown field "updateWorkflo"\. Did you mean "updateWorkflow"\?/);
    write(path.join(bad, "create-middleware.config.json"), "{ nope");
    assert.throws(() => loadTeamConfig(bad, env), /is not valid JSON/);
  });
});

describe("answers file", () => {
  const sample: AnswersFile = {
    version: 1,
    createMiddleware: "0.1.0",
    template: { source: "npm:@acme/mw-pack@^2", resolved: "2.3.1" },
    answers: {
      packageName: "@acme/my-logger",
      target: "express",
      schema: "zod",
      starter: "request-id",
      description: "Logs requests.",
      options: ["level:info|debug=info"],
      vars: { region: "eu" },
      author: "Ann Lee",
      year: 2026,
      license: "MIT",
    },
  };

  it("writes keys in the documented order with a trailing newline", () => {
    const shuffled = { answers: { ...sample.answers }, template: sample.template, createMiddleware: "0.1.0", version: 1 } as AnswersFile;
    const text = formatAnswersFile(shuffled);
    assert.equal(text, formatAnswersFile(sample));
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(Object.keys(JSON.parse(text)), ["version", "createMiddleware", "template", "answers"]);
    assert.deepEqual(Object.keys(JSON.parse(text).answers), [
      "packageName",
      "target",
      "schema",
      "starter",
      "description",
      "options",
      "vars",
      "author",
      "year",
      "license",
    ]);
  });

  it("reads back what it wrote, keeping an update entry", () => {
    const file = path.join(scratch, "pkg", ANSWERS_FILE);
    write(file, formatAnswersFile({ ...sample, update: { base: ".git/x" } }));
    const { answers } = readAnswersFile(file, scratch);
    assert.deepEqual(answers, { ...sample, update: { base: ".git/x" } });
  });

  it("refuses a missing file, bad JSON, or another version, naming the file", () => {
    assert.throws(() => readAnswersFile("missing.json", scratch), /Cannot read the answers file .*missing\.json \(it does not exist\)/);
    write(path.join(scratch, "bad.json"), "{");
    assert.throws(() => readAnswersFile("bad.json", scratch), /bad\.json is not valid JSON/);
    write(path.join(scratch, "v2.json"), { ...sample, version: 2 });
    assert.throws(() => readAnswersFile("v2.json", scratch), /has version 2; this create-middleware reads version 1/);
  });

  it("records option fields in the replayable spec form", () => {
    for (const spec of [
      "level:info|debug=info",
      "maxItems:number=10",
      "tags:string[]=a,b",
      "strict:boolean=true",
      "name:string",
      "prefix:string=x=y",
    ]) {
      assert.equal(formatOptionSpec(parseOptionSpec(spec)), spec);
    }
  });
});
