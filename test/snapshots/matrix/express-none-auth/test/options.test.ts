import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpressNoneAuth, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-none-auth";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_NONE_AUTH_INVALID_OPTION";
const OPTION_NAMES = ["realm", "required", "timeout", "verify", "handler"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkExpressNoneAuth as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkExpressNoneAuth());
    assert.doesNotThrow(() => checkExpressNoneAuth({}));
  });

  describe("realm", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).realm, "api");
      assert.deepEqual(parseSettings({ realm: undefined }, OPTION_NAMES).realm, "api");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ realm: "example" }, OPTION_NAMES).realm, "example");
      assert.doesNotThrow(() => checkExpressNoneAuth({ realm: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ realm: 42 }),
        invalidOption("realm", "a string", "42"),
      );
    });
  });

  describe("required", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).required, true);
      assert.deepEqual(parseSettings({ required: undefined }, OPTION_NAMES).required, true);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ required: false }, OPTION_NAMES).required, false);
      assert.doesNotThrow(() => checkExpressNoneAuth({ required: false }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ required: "yes" }),
        invalidOption("required", "true or false", '"yes"'),
      );
    });
  });

  describe("timeout", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).timeout, 5000);
      assert.deepEqual(parseSettings({ timeout: undefined }, OPTION_NAMES).timeout, 5000);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ timeout: 5001 }, OPTION_NAMES).timeout, 5001);
      assert.doesNotThrow(() => checkExpressNoneAuth({ timeout: 5001 }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ timeout: "10" }),
        invalidOption("timeout", "a finite number", '"10"'),
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

  describe("handler", () => {
    it("accepts a function or 'next'", () => {
      assert.doesNotThrow(() => createUnchecked({ handler: () => undefined }));
    });

    it("refuses a value that is not a function or 'next'", () => {
      assert.throws(() => createUnchecked({ handler: true }), invalidOption("handler", "a function or 'next'", "true"));
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
