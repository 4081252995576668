import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpressJoiAsyncGuard, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-joi-async-guard";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_JOI_ASYNC_GUARD_INVALID_OPTION";
const OPTION_NAMES = ["status", "message", "validate", "handler"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkExpressJoiAsyncGuard as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkExpressJoiAsyncGuard());
    assert.doesNotThrow(() => checkExpressJoiAsyncGuard({}));
  });

  describe("status", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).status, 403);
      assert.deepEqual(parseSettings({ status: undefined }, OPTION_NAMES).status, 403);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ status: 404 }, OPTION_NAMES).status, 404);
      assert.doesNotThrow(() => checkExpressJoiAsyncGuard({ status: 404 }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ status: "10" }),
        invalidOption("status", "a finite number", '"10"'),
      );
    });
  });

  describe("message", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).message, "Forbidden");
      assert.deepEqual(parseSettings({ message: undefined }, OPTION_NAMES).message, "Forbidden");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ message: "example" }, OPTION_NAMES).message, "example");
      assert.doesNotThrow(() => checkExpressJoiAsyncGuard({ message: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ message: 42 }),
        invalidOption("message", "a string", "42"),
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

  describe("validate", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ validate: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ validate: true }), invalidOption("validate", "a function", "true"));
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
