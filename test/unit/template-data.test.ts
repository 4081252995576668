/** The decisions the templates read from their data instead of making them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Answers } from "../../src/answers/answers.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";
import { defaultStarter } from "../../src/tables/starters.js";
import { templateData } from "../../src/render/template-data.js";

const ENVIRONMENT = { author: "A", year: 2026 };
function data(target: Answers["target"], specs?: string[]) {
  const answers: Answers = {
    directory: "/tmp/x/my-logger",
    packageName: "@acme/my-logger",
    target,
    schema: "none",
    starter: defaultStarter(target),
    description: "",
    fields: specs?.map(parseOptionSpec),
    packageManager: "npm",
    install: false,
    git: false,
  };
  return templateData(answers, ENVIRONMENT);
}

describe("templateData", () => {
  it("the Express starter set sends the request id in a header that setHeader switches", () => {
    const express = data("express");
    assert.deepEqual(express.responseHeader, { defaultName: "X-Request-Id", switchable: true, sentByDefault: true, otherName: "X-Correlation-Id" });
    assert.deepEqual(
      express.plainFields.map((field) => field.name),
      ["trustIncoming", "asyncContext"],
    );
    assert.deepEqual({ express: express.target.express, socketIo: express.target.socketIo }, { express: true, socketIo: false });
  });

  it("a header option needs to be a string with a default; setHeader switches it only with a default", () => {
    assert.deepEqual(data("express", ["header:string=X-Id"]).responseHeader, {
      defaultName: "X-Id",
      switchable: false,
      sentByDefault: true,
      otherName: "X-Request-Id",
    });
    assert.equal(data("express", ["header:string"]).responseHeader, false);
    assert.equal(data("express", ["header:number=3"]).responseHeader, false);
    const unswitched = data("express", ["header:string=X-Id", "setHeader:boolean"]);
    // biome-ignore lint/complexity/useOptionalChain: responseHeader is false or an object; `?.` does not narrow false.
    assert.equal(unswitched.responseHeader && unswitched.responseHeader.switchable, false);
    assert.deepEqual(
      unswitched.plainFields.map((field) => field.name),
      ["setHeader"],
    );
  });

  it("the generated tests can follow the values: off by default, and another header than the default (issue #12)", () => {
    const off = data("express", ["header:string=x-fine", "setHeader:boolean=false"]).responseHeader;
    assert.ok(off);
    assert.equal(off.sentByDefault, false);
    const taken = data("express", ["header:string=x-request-id"]).responseHeader;
    assert.ok(taken);
    assert.equal(taken.otherName, "X-Correlation-Id", "never the default, whatever its case");
  });

  it("plain fields are the others, in their order", () => {
    const mixed = data("express", ["a:string", "header:string=X-Id", "b:number", "setHeader:boolean=true"]);
    assert.deepEqual(
      mixed.plainFields.map((field) => field.name),
      ["a", "b"],
    );
    assert.deepEqual(
      data("socket.io").plainFields.map((field) => field.name),
      ["authField", "required", "timeout"],
    );
    assert.equal(data("socket.io").responseHeader, false);
    assert.equal(data("socket.io").target.socketIo, true);
    assert.deepEqual([data("express").target.handles, data("socket.io").target.handles], ["request", "connection"]);
  });

  it("says which of the starter's own fields a package keeps, so its code reads those from the settings", () => {
    assert.deepEqual(data("socket.io").has, { authField: true, required: true, timeout: true });
    assert.equal(data("socket.io").ownFieldsKept, true);
    const custom = data("socket.io", ["authField:string=key", "timeout:number", "required:string=yes"]);
    // Same name and type and a default: kept. No default, or another type: the starter's fixed value.
    assert.deepEqual(custom.has, { authField: true, required: false, timeout: false });
    const unrelated = data("express", ["level:info|debug=info"]);
    assert.deepEqual(unrelated.has, { header: false, setHeader: false, trustIncoming: false, asyncContext: false });
    assert.equal(unrelated.ownFieldsKept, false);
    assert.equal(unrelated.byName.level?.defaultValue, "info");
  });
});
