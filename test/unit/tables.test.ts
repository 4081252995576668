/** The target and schema tables, and the lists derived from them. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_SCHEMA, parseSchema, schemaHelp, schemaProfile, SCHEMAS } from "../../src/tables/schemas.js";
import {
  defaultStarter,
  hookNames,
  packStarters,
  parseStarter,
  starterHelp,
  starterProfile,
  STARTERS,
  startersFor,
  starterTarget,
} from "../../src/tables/starters.js";
import { DEFAULT_TARGET, parseTarget, targetHelp, targetProfile, TARGETS } from "../../src/tables/targets.js";
import { BUILTIN_TEMPLATES } from "../../src/render/template-source.js";
import { UsageError } from "../../src/errors.js";

describe("the target table", () => {
  it("lists the targets in order, the first being the default", () => {
    assert.deepEqual(TARGETS, ["express", "socket.io"]);
    assert.equal(DEFAULT_TARGET, "express");
    assert.equal(targetProfile("socket.io").title, "Socket.IO");
  });

  it("parses ids and aliases, case-insensitively, and lists them all when a value is unknown", () => {
    assert.equal(parseTarget(" Express "), "express");
    assert.equal(parseTarget("SIO"), "socket.io");
    assert.equal(parseTarget("socketio"), "socket.io");
    assert.throws(
      () => parseTarget("koa"),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, 'Unknown target "koa". Valid targets: express, socket.io (aliases: socketio, sio).');
        return true;
      },
    );
    assert.equal(targetHelp(), "express | socket.io (aliases: socketio, sio)");
  });

  it("has a template folder for every target, and a target for every folder but base, schemas and starters", () => {
    const folders = readdirSync(BUILTIN_TEMPLATES).filter((name) => !["base", "schemas", "starters"].includes(name));
    assert.deepEqual(folders.sort(), [...TARGETS].sort());
  });

  it("names each target's template flag uniquely, as an identifier", () => {
    const flags = TARGETS.map((target) => targetProfile(target).flag);
    assert.equal(new Set(flags).size, flags.length);
    for (const flag of flags) assert.match(flag, /^[A-Za-z_$][A-Za-z0-9_$]*$/);
  });
});

describe("the schema table", () => {
  it("lists the schemas in order, the first being the default", () => {
    assert.deepEqual(SCHEMAS, ["none", "zod", "valibot", "typebox", "joi"]);
    assert.equal(DEFAULT_SCHEMA, "none");
    assert.deepEqual(schemaProfile("zod").dependencies, { zod: "^4.1.0" });
    assert.equal(schemaHelp(), "none | zod | valibot | typebox | joi");
  });

  it("parses ids case-insensitively and lists them when a value is unknown", () => {
    assert.equal(parseSchema(" Zod"), "zod");
    assert.throws(() => parseSchema("yup"), /^UsageError: Unknown schema "yup"\. Valid schemas: none, zod, valibot, typebox, joi\.$/);
  });

  it("has a template folder for every schema, and a schema for every folder", () => {
    assert.deepEqual(readdirSync(path.join(BUILTIN_TEMPLATES, "schemas")).sort(), [...SCHEMAS].sort());
  });
});

describe("the starter table", () => {
  it("lists the starters in order, and which targets have each", () => {
    assert.deepEqual(STARTERS, ["blank", "request-id", "logger", "request-time", "async-guard", "auth", "rate-limit"]);
    assert.deepEqual(startersFor("express"), [...STARTERS]);
    assert.deepEqual(startersFor("socket.io"), ["blank", "logger", "auth", "rate-limit"]);
  });

  it("keeps each target's default what it was before starters (request id, token check)", () => {
    assert.equal(defaultStarter("express"), "request-id");
    assert.equal(defaultStarter("socket.io"), "auth");
    for (const target of TARGETS) {
      const defaults = STARTERS.filter((starter) => starterProfile(starter).targets[target]?.default);
      assert.equal(defaults.length, 1, `one default for ${target}`);
    }
  });

  it("gives hooks per starter and target", () => {
    assert.deepEqual(hookNames("express", "request-id"), ["skip", "onRequest", "generator"]);
    assert.deepEqual(hookNames("socket.io", "auth"), ["verify", "onError"]);
    assert.deepEqual(hookNames("express", "rate-limit"), ["keyGenerator", "skip", "store", "now", "handler"]);
    assert.deepEqual(hookNames("express", "auth"), ["verify", "handler"]);
    assert.deepEqual(hookNames("express", "blank"), []);
  });

  it("never lets a starter's own fields collide with its hooks", () => {
    for (const target of TARGETS) {
      for (const starter of startersFor(target)) {
        const entry = starterTarget(starter, target);
        const fields = entry.fields({ headerName: "X-Test" }).map((field) => field.name);
        const hooks = entry.hooks.map((hook) => hook.name);
        assert.deepEqual(
          fields.filter((name) => hooks.includes(name)),
          [],
          `${target} ${starter}`,
        );
        assert.ok(entry.summary.length > 0 && !entry.summary.includes("\n"), `${target} ${starter} has a one-line summary`);
      }
    }
  });

  it("parses ids case-insensitively; an unknown starter or one the target lacks lists the target's starters", () => {
    assert.equal(parseStarter(" Logger ", "socket.io"), "logger");
    assert.throws(
      () => parseStarter("cache", "express"),
      /^UsageError: Unknown starter "cache"\. Valid starters for express: blank, request-id, logger, request-time, async-guard, auth, rate-limit\.$/,
    );
    assert.throws(
      () => parseStarter("request-time", "socket.io"),
      /^UsageError: The starter "request-time" does not exist for socket\.io\. Valid starters for socket\.io: blank, logger, auth, rate-limit\.$/,
    );
    assert.match(starterHelp(), /blank \| logger \| auth \| rate-limit \(socket\.io\)/);
  });

  it("finds a pack's own starters: new folders under starters/<target>/, not the built-in ones", () => {
    const extra = packStarters([
      "starters/express/audit-trail/src/index.ts.hbs",
      "starters/express/logger/src/index.ts.hbs",
      "starters/socket.io/presence/README.md",
      "starters/koa/thing/x.hbs",
      "starters/express/Bad_Name/x.hbs",
      "starters/express/loose-file.hbs",
    ]);
    assert.deepEqual(extra, { express: ["audit-trail"], "socket.io": ["presence"] });
    assert.deepEqual(startersFor("socket.io", extra), ["blank", "logger", "auth", "rate-limit", "presence"]);
    assert.equal(parseStarter("Presence", "socket.io", extra), "presence");
    assert.throws(() => parseStarter("presence", "express", extra), /does not exist for express\. Valid starters for express: .*, audit-trail\./);
    assert.deepEqual(hookNames("express", "audit-trail"), hookNames("express", "blank"));
  });

  it("has a template folder for every starter of every target, and a starter for every folder", () => {
    for (const target of TARGETS) {
      assert.deepEqual(readdirSync(path.join(BUILTIN_TEMPLATES, "starters", target)).sort(), [...startersFor(target)].sort(), target);
    }
    assert.deepEqual(readdirSync(path.join(BUILTIN_TEMPLATES, "starters")).sort(), [...TARGETS].sort());
  });
});

describe("the README's starter table", () => {
  it("has one row per starter, with each target's summary (and marks the defaults)", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    for (const starter of STARTERS) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${starter}\` |`));
      assert.ok(row, `README has a row for ${starter}`);
      const cells = row
        .split(" | ")
        .slice(1)
        .map((cell) => cell.replace(/ \|$/, ""));
      TARGETS.forEach((target, index) => {
        const entry = starterProfile(starter).targets[target];
        const expected = entry ? `${entry.summary}${entry.default ? " (default)" : ""}` : "–";
        assert.equal(cells[index], expected, `${starter} on ${target}`);
      });
    }
  });
});
