import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSocketioZodAuth, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-socketio-zod-auth";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_ZOD_AUTH_INVALID_OPTION";
const OPTION_NAMES = ["level", "tags", "verify", "onError"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkSocketioZodAuth as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkSocketioZodAuth());
    assert.doesNotThrow(() => checkSocketioZodAuth({}));
  });

  describe("level", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).level, "info");
      assert.deepEqual(parseSettings({ level: undefined }, OPTION_NAMES).level, "info");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ level: "debug" }, OPTION_NAMES).level, "debug");
      assert.doesNotThrow(() => checkSocketioZodAuth({ level: "debug" }));
    });

    it("accepts each of its values", () => {
      for (const value of ["info", "debug"] as const) assert.equal(parseSettings({ level: value }, OPTION_NAMES).level, value);
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ level: "other" }),
        invalidOption("level", 'one of "info", "debug"', '"other"'),
      );
    });
  });

  describe("tags", () => {
    it("is optional, without a default", () => {
      assert.equal(parseSettings({}, OPTION_NAMES).tags, undefined);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ tags: ["a", "b"] }, OPTION_NAMES).tags, ["a", "b"]);
      assert.doesNotThrow(() => checkSocketioZodAuth({ tags: ["a", "b"] }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ tags: "a,b" }),
        invalidOption("tags", "an array of strings", '"a,b"'),
      );
    });
  });

  it("refuses an unknown option", () => {
    assert.throws(
      () => createUnchecked({ notAnOption: "X" }),
      invalidOption("notAnOption", `a known option (${OPTION_NAMES.join(", ")})`, '"X"'),
    );
  });

  it("lists every known option, comma-separated, when it refuses an unknown one", () => {
    assert.throws(() => parseSettings({ typo: 1 }, ["first", "second"]), invalidOption("typo", "a known option (first, second)", "1"));
  });

  describe("verify", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ verify: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ verify: true }), invalidOption("verify", "a function", "true"));
    });
  });

  describe("onError", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ onError: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ onError: true }), invalidOption("onError", "a function", "true"));
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
