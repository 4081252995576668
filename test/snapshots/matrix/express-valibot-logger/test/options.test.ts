import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-valibot-logger";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_VALIBOT_LOGGER_INVALID_OPTION";
const OPTION_NAMES = ["format", "log", "skip"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkExpressValibotLogger;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkExpressValibotLogger as Unchecked;

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

  describe("format", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).format, "text");
      assert.deepEqual(settings({ format: undefined }).format, "text");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ format: "json" }).format, "json");
      assert.doesNotThrow(() => create({ format: "json" }));
    });

    it("accepts each of its values", () => {
      for (const value of ["text", "json"] as const) {
        assert.equal(settings({ format: value }).format, value);
      }
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("format", 'one of "text", "json"', '"other"');
      assert.throws(() => createUnchecked({ format: "other" }), error);
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

  describe("log", () => {
    it("accepts a function or a logger with an info method", () => {
      assert.doesNotThrow(() => createUnchecked({ log: () => undefined }));
    });

    it("refuses a value that is not a function or a logger with an info method", () => {
      const error = invalidOption("log", "a function or a logger with an info method", "true");
      assert.throws(() => createUnchecked({ log: true }), error);
    });
  });

  describe("skip", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ skip: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("skip", "a function", "true");
      assert.throws(() => createUnchecked({ skip: true }), error);
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
