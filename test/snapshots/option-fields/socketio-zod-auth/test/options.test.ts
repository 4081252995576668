import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-socketio-zod-auth";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_ZOD_AUTH_INVALID_OPTION";
const OPTION_NAMES = ["level", "tags", "verify", "onError"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkSocketioZodAuth;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkSocketioZodAuth as Unchecked;

/** The settings the options give. */
function settings(options: object) {
  return parseSettings(options, OPTION_NAMES);
}

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return {
    name: "TypeError",
    code: INVALID_OPTION_CODE,
    message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}`,
  };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => create());
    assert.doesNotThrow(() => create({}));
  });

  describe("level", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).level, "info");
      assert.deepEqual(settings({ level: undefined }).level, "info");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ level: "debug" }).level, "debug");
      assert.doesNotThrow(() => create({ level: "debug" }));
    });

    it("accepts each of its values", () => {
      for (const value of ["info", "debug"] as const) {
        assert.equal(settings({ level: value }).level, value);
      }
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("level", 'one of "info", "debug"', '"other"');
      assert.throws(() => createUnchecked({ level: "other" }), error);
    });
  });

  describe("tags", () => {
    it("is optional, without a default", () => {
      assert.equal(settings({}).tags, undefined);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ tags: ["a", "b"] }).tags, ["a", "b"]);
      assert.doesNotThrow(() => create({ tags: ["a", "b"] }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("tags", "an array of strings", '"a,b"');
      assert.throws(() => createUnchecked({ tags: "a,b" }), error);
    });
  });

  it("refuses an unknown option", () => {
    assert.throws(
      () => createUnchecked({ notAnOption: "X" }),
      invalidOption("notAnOption", `a known option (${OPTION_NAMES.join(", ")})`, '"X"'),
    );
  });

  it("lists every known option, comma-separated, when it refuses an unknown one", () => {
    const error = invalidOption("typo", "a known option (first, second)", "1");
    assert.throws(() => parseSettings({ typo: 1 }, ["first", "second"]), error);
  });

  describe("verify", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ verify: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("verify", "a function", "true");
      assert.throws(() => createUnchecked({ verify: true }), error);
    });
  });

  describe("onError", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ onError: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("onError", "a function", "true");
      assert.throws(() => createUnchecked({ onError: true }), error);
    });
  });

  it("exports the code of its errors", () => {
    assert.equal(EXPORTED_CODE, INVALID_OPTION_CODE);
  });

  it("names each kind of value the way its messages show it", () => {
    const cases: Array<[unknown, string]> = [
      [42, "42"],
      ["x", '"x"'],
      [false, "false"],
      [undefined, "undefined"],
      [null, "null"],
      [[1], "an array"],
      [10n, "10n"],
      [() => 1, "a function"],
      [Symbol("s"), "a symbol"],
      [{ a: 1 }, "an object"],
    ];
    for (const [value, shown] of cases) assert.equal(describeValue(value), shown);
  });

  it("refuses options that are not an object", () => {
    for (const [options, received] of [
      [42, "42"],
      ["x", '"x"'],
      [null, "null"],
      [[], "an array"],
    ] as const) {
      assert.throws(() => createUnchecked(options), {
        name: "TypeError",
        code: INVALID_OPTION_CODE,
        message: `${PACKAGE_NAME}: invalid options: an object, received ${received}`,
      });
    }
  });
});
