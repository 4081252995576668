/**
 * The check's matrix and shards: which combinations run, and how --shard i/n splits them. Pure code.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SCHEMAS } from "../../src/tables/schemas.js";
import { startersFor } from "../../src/tables/starters.js";
import { TARGETS } from "../../src/tables/targets.js";
import { UsageError } from "../../src/errors.js";
import { selectCombinations, splitList } from "../../src/check/matrix.js";
import { formatShard, parseShard, selectShard } from "../../src/check/shard.js";

const full = selectCombinations([], []);

describe("check matrix", () => {
  it("defaults to a matrix covering every starter and every schema of each target, each id and folder unique", () => {
    for (const target of TARGETS) {
      const own = full.filter((entry) => entry.target === target);
      assert.equal(own.length, Math.max(startersFor(target).length, SCHEMAS.length), target);
      assert.deepEqual([...new Set(own.map((entry) => entry.starter))].sort(), [...startersFor(target)].sort(), `${target}: every starter`);
      assert.deepEqual([...new Set(own.map((entry) => entry.schema))].sort(), [...SCHEMAS].sort(), `${target}: every schema`);
    }
    assert.equal(new Set(full.map((entry) => entry.id)).size, full.length);
    assert.equal(new Set(full.map((entry) => entry.slug)).size, full.length);
    assert.equal(new Set(full.map((entry) => entry.packageName)).size, full.length);
    for (const entry of full) assert.match(entry.slug, /^[a-z0-9-]+$/);
  });

  it("narrows by repeatable, comma-separated, aliased values in canonical order", () => {
    assert.deepEqual(splitList(["express, sio", " zod "]), ["express", "sio", "zod"]);
    const chosen = selectCombinations(splitList(["sio,express"]), splitList(["zod", "none,zod"]), { starters: splitList(["auth,request-id"]) });
    // Express has both starters: the i-th starter with the i-th schema. Socket.IO has only auth.
    assert.deepEqual(
      chosen.map((entry) => entry.id),
      ["express+none+request-id", "express+zod+auth", "socket.io+none+auth", "socket.io+zod+auth"],
    );
    assert.deepEqual(
      chosen.map((entry) => entry.slug),
      ["express-none-request-id", "express-zod-auth", "socketio-none-auth", "socketio-zod-auth"],
    );
  });

  it("--all gives every target x schema x starter", () => {
    const all = selectCombinations([], [], { all: true });
    assert.equal(
      all.length,
      TARGETS.reduce((sum, target) => sum + startersFor(target).length * SCHEMAS.length, 0),
    );
    assert.equal(new Set(all.map((entry) => entry.id)).size, all.length);
    assert.deepEqual(
      selectCombinations(["express"], ["zod"], { starters: ["request-id"], all: true }).map((entry) => entry.id),
      ["express+zod+request-id"],
    );
  });

  it("a starter is checked on the targets that have it; one no chosen target has is a usage error", () => {
    assert.deepEqual(
      selectCombinations([], ["zod"], { starters: ["auth"] }).map((entry) => entry.id),
      TARGETS.filter((target) => startersFor(target).includes("auth")).map((target) => `${target}+zod+auth`),
    );
    assert.throws(() => selectCombinations(["sio"], [], { starters: ["request-id"] }), /No chosen target has the starter request-id/);
  });

  it("checks a pack's own starters too, in the covering matrix and with --starter", () => {
    const packStarters = { express: ["audit-trail"] };
    const express = selectCombinations(["express"], [], { packStarters });
    assert.ok(express.some((entry) => entry.id === `express+${SCHEMAS[startersFor("express").length % SCHEMAS.length]}+audit-trail`));
    assert.equal(express.length, Math.max(startersFor("express").length + 1, SCHEMAS.length));
    assert.deepEqual(
      selectCombinations([], ["zod"], { starters: ["audit-trail"], packStarters }).map((entry) => entry.id),
      ["express+zod+audit-trail"],
    );
    assert.throws(() => selectCombinations([], [], { starters: ["audit-trail"] }), UsageError);
  });

  it("refuses unknown values as usage errors", () => {
    assert.throws(() => selectCombinations(["koa"], []), UsageError);
    assert.throws(() => selectCombinations([], ["yup"]), UsageError);
    assert.throws(() => selectCombinations([], [], { starters: ["cache"] }), UsageError);
  });
});

describe("--shard i/n", () => {
  it("parses i/n and refuses everything else", () => {
    assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
    assert.deepEqual(parseShard(" 1 / 1 "), { index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3", "-1/2", "1.5/3", ""]) {
      assert.throws(() => parseShard(bad), UsageError, bad);
    }
    assert.equal(formatShard({ index: 3, count: 5 }), "3/5");
  });

  for (let count = 1; count <= 5; count++) {
    it(`n = ${count}: shards are disjoint, their union is the full matrix, sizes differ by at most one`, () => {
      const shards = Array.from({ length: count }, (_, index) => selectShard(full, { index: index + 1, count }).map((entry) => entry.id));
      const all = shards.flat();
      assert.equal(new Set(all).size, all.length, "no combination in two shards");
      assert.deepEqual([...all].sort(), full.map((entry) => entry.id).sort(), "every combination in one shard");
      const sizes = shards.map((shard) => shard.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes.join(",")}`);
      // Stable: the same shard twice is the same list, in matrix order.
      for (let index = 1; index <= count; index++) {
        const again = selectShard(selectCombinations([], []), { index, count }).map((entry) => entry.id);
        assert.deepEqual(again, shards[index - 1]);
        assert.deepEqual(
          again,
          full.map((entry) => entry.id).filter((id) => again.includes(id)),
        );
      }
    });
  }

  it("works on any list of combinations (a narrowed matrix, more shards than combinations)", () => {
    const two = selectCombinations(["express"], ["none", "zod"], { starters: ["request-id"] });
    assert.deepEqual(
      selectShard(two, { index: 1, count: 3 }).map((entry) => entry.id),
      ["express+none+request-id"],
    );
    assert.deepEqual(selectShard(two, { index: 3, count: 3 }), []);
    assert.deepEqual(selectShard(two, undefined), two);
  });
});
