/**
 * The layer order (docs/templates.md): per level, the pack before the built-in folder; schema, then
 * target, then base. A pack file overrides only the built-in file at the same place.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Answers } from "../../src/answers/answers.js";
import { defaultStarter } from "../../src/tables/starters.js";
import { planMiddlewarePackage } from "../../src/create.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "cm-layering-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function makePack(name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const answers = (target: Answers["target"], schema: Answers["schema"]): Answers => ({
  directory: path.join(scratch, "out", "my-logger"),
  packageName: "my-logger",
  target,
  schema,
  starter: defaultStarter(target),
  description: "Logs.",
  fields: undefined,
  packageManager: "npm",
  install: false,
  git: false,
});
const environment = { author: "A", year: 2026 };
const text = async (template: string, target: Answers["target"], schema: Answers["schema"], file: string) => {
  const plan = await planMiddlewarePackage(answers(target, schema), { template, environment, cwd: scratch });
  const found = plan.files.find((entry) => entry.path === file);
  assert.ok(found, `${file} was rendered`);
  return { text: found.contents.toString("utf8"), source: found.source };
};

describe("layering", () => {
  it("a base-only pack (even with base's empty partials) keeps the Express CI matrix", async () => {
    const pack = makePack("base-only", {
      "base/_partials/ci-matrix.hbs": "",
      "base/_partials/readme-more.hbs": "",
      "base/README.md.hbs": "# {{packageName}} (Acme)\n{{> readme-usage}}\n",
    });
    const ci = await text(pack, "express", "none", ".github/workflows/ci.yml");
    assert.match(ci.text, /express: \[4, 5\]/);
    const readme = await text(pack, "express", "none", "README.md");
    assert.match(readme.text, /^# my-logger \(Acme\)/);
    assert.equal(readme.source, "team pack/base/README.md.hbs");
  });

  it("a pack's target partial does override the built-in target partial", async () => {
    const pack = makePack("target-partial", { "express/_partials/ci-matrix.hbs": "express: [5]\n" });
    assert.match((await text(pack, "express", "none", ".github/workflows/ci.yml")).text, /express: \[5\]\n/);
    // ...and only for that target.
    assert.doesNotMatch((await text(pack, "socket.io", "none", ".github/workflows/ci.yml")).text, /express: \[5\]/);
  });

  it("the worked example of docs/templates.md", async () => {
    const pack = makePack("worked-example", {
      "base/README.md.hbs": "# {{packageName}}\n{{> readme-more}}\n",
      "base/_partials/ci-matrix.hbs": "",
      "express/_partials/readme-more.hbs": "## Internal use\n",
    });
    const express = await text(pack, "express", "zod", "README.md");
    assert.equal(express.source, "team pack/base/README.md.hbs");
    assert.match(express.text, /## Internal use/);
    assert.equal((await text(pack, "express", "zod", "src/options.ts")).source, "schemas/zod/src/options.ts.hbs");
    assert.equal((await text(pack, "express", "zod", "src/index.ts")).source, "starters/express/request-id/src/index.ts.hbs");
    assert.match((await text(pack, "express", "zod", ".github/workflows/ci.yml")).text, /express: \[4, 5\]/);
    assert.doesNotMatch((await text(pack, "socket.io", "zod", "README.md")).text, /## Internal use/);
  });

  it("a pack's base file never shadows a built-in schema, starter or target file at the same path", async () => {
    const pack = makePack("base-shadow", {
      "base/src/options.ts.hbs": "// pack base\n",
      "base/src/index.ts.hbs": "// pack base\n",
      "express/src/index.ts.hbs": "// pack express\n",
    });
    assert.equal((await text(pack, "express", "zod", "src/options.ts")).source, "schemas/zod/src/options.ts.hbs");
    assert.equal((await text(pack, "express", "zod", "src/index.ts")).source, "starters/express/request-id/src/index.ts.hbs");
  });

  it("a pack's starter folder overrides the built-in starter's file, and only that starter's", async () => {
    const pack = makePack("starter-file", { "starters/express/request-id/src/index.ts.hbs": "// acme request id\n" });
    const index = await text(pack, "express", "zod", "src/index.ts");
    assert.equal(index.text, "// acme request id\n");
    assert.equal(index.source, "team pack/starters/express/request-id/src/index.ts.hbs");
    assert.equal((await text(pack, "socket.io", "zod", "src/index.ts")).source, "starters/socket.io/auth/src/index.ts.hbs");
  });

  it("a pack can add a starter of its own: a new folder under starters/<target>/, built on blank", async () => {
    const pack = makePack("own-starter", {
      "starters/express/audit-trail/src/index.ts.hbs": "// acme audit trail for {{factoryName}}\n",
      "starters/express/audit-trail/_partials/readme-usage.hbs": "Records every request.\n",
    });
    const plan = await planMiddlewarePackage({ ...answers("express", "zod"), starter: "audit-trail" }, { template: pack, environment, cwd: scratch });
    const file = (name: string) => plan.files.find((entry) => entry.path === name);
    assert.equal(file("src/index.ts")?.contents.toString(), "// acme audit trail for myLogger\n");
    assert.equal(file("src/index.ts")?.source, "team pack/starters/express/audit-trail/src/index.ts.hbs");
    // What the pack's folder does not have comes from blank, whose fields and hooks the starter gets.
    assert.equal(file("test/middleware.test.ts")?.source, "starters/express/blank/test/middleware.test.ts.hbs");
    assert.deepEqual(
      plan.data.fields.map((field) => field.name),
      ["enabled"],
    );
    assert.match(file("README.md")?.contents.toString() ?? "", /Records every request\./);
    assert.equal(JSON.parse(file(".create-middleware.json")?.contents.toString() ?? "{}").answers.starter, "audit-trail");

    // Only for the target whose folder it is, and only with the pack.
    await assert.rejects(
      planMiddlewarePackage({ ...answers("socket.io", "zod"), starter: "audit-trail" }, { template: pack, environment, cwd: scratch }),
      /The starter "audit-trail" does not exist for socket\.io/,
    );
    await assert.rejects(
      planMiddlewarePackage({ ...answers("express", "zod"), starter: "audit-trail" }, { environment, cwd: scratch }),
      /Unknown starter "audit-trail"/,
    );
  });

  it("a pack's schema file wins over everything below it", async () => {
    const pack = makePack("schema-file", { "schemas/zod/src/options.ts.hbs": "// acme zod\n" });
    const options = await text(pack, "express", "zod", "src/options.ts");
    assert.equal(options.text, "// acme zod\n");
    assert.equal(options.source, "team pack/schemas/zod/src/options.ts.hbs");
  });

  it("templates read a pack's answers as vars.<key>", async () => {
    const pack = makePack("vars", {
      "pack.json": JSON.stringify({
        questions: [
          { key: "team", type: "text", message: "Team?", default: "core" },
          { key: "audit", type: "confirm", message: "Audit?", default: false },
        ],
      }),
      "base/TEAM.md.hbs": "team={{vars.team}} audit={{vars.audit}}\n",
    });
    assert.equal((await text(pack, "express", "none", "TEAM.md")).text, "team=core audit=false\n");
    const plan = await planMiddlewarePackage(answers("express", "none"), { template: pack, environment, cwd: scratch, vars: { team: "edge" } });
    assert.equal(plan.files.find((file) => file.path === "TEAM.md")?.contents.toString(), "team=edge audit=false\n");
    const recorded = JSON.parse(plan.files.find((file) => file.path === ".create-middleware.json")!.contents.toString());
    assert.deepEqual(recorded.template.source, "../../vars");
    assert.match(recorded.template.resolved, /^[0-9a-f]{64}$/);
    assert.deepEqual(recorded.answers.vars, { team: "edge", audit: false });
  });

  it("a pack that declares its targets refuses another", async () => {
    const pack = makePack("express-only", { "pack.json": JSON.stringify({ targets: ["express"] }), "base/x.txt": "x" });
    await assert.rejects(
      planMiddlewarePackage(answers("socket.io", "none"), { template: pack, environment, cwd: scratch }),
      /supports the targets express, not socket\.io/,
    );
  });
});
