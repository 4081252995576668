import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpressValibotLogger, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-valibot-logger";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_VALIBOT_LOGGER_INVALID_OPTION";
const OPTION_NAMES = ["format", "log", "skip"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkExpressValibotLogger as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkExpressValibotLogger());
    assert.doesNotThrow(() => checkExpressValibotLogger({}));
  });

  describe("format", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).format, "text");
      assert.deepEqual(parseSettings({ format: undefined }, OPTION_NAMES).format, "text");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ format: "json" }, OPTION_NAMES).format, "json");
      assert.doesNotThrow(() => checkExpressValibotLogger({ format: "json" }));
    });

    it("accepts each of its values", () => {
      for (const value of ["text", "json"] as const) assert.equal(parseSettings({ format: value }, OPTION_NAMES).format, value);
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ format: "other" }),
        invalidOption("format", 'one of "text", "json"', '"other"'),
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

  describe("log", () => {
    it("accepts a function or a logger with an info method", () => {
      assert.doesNotThrow(() => createUnchecked({ log: () => undefined }));
    });

    it("refuses a value that is not a function or a logger with an info method", () => {
      assert.throws(() => createUnchecked({ log: true }), invalidOption("log", "a function or a logger with an info method", "true"));
    });
  });

  describe("skip", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ skip: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ skip: true }), invalidOption("skip", "a function", "true"));
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
