import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-joi-async-guard";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_JOI_ASYNC_GUARD_INVALID_OPTION";
const OPTION_NAMES = ["status", "message", "validate", "handler"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkExpressJoiAsyncGuard;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkExpressJoiAsyncGuard as Unchecked;

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

  describe("status", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).status, 403);
      assert.deepEqual(settings({ status: undefined }).status, 403);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ status: 404 }).status, 404);
      assert.doesNotThrow(() => create({ status: 404 }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("status", "a finite number", '"10"');
      assert.throws(() => createUnchecked({ status: "10" }), error);
    });
  });

  describe("message", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).message, "Forbidden");
      assert.deepEqual(settings({ message: undefined }).message, "Forbidden");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ message: "example" }).message, "example");
      assert.doesNotThrow(() => create({ message: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("message", "a string", "42");
      assert.throws(() => createUnchecked({ message: 42 }), error);
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

  describe("validate", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ validate: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("validate", "a function", "true");
      assert.throws(() => createUnchecked({ validate: true }), error);
    });
  });

  describe("handler", () => {
    it("accepts a function or 'next'", () => {
      assert.doesNotThrow(() => createUnchecked({ handler: () => undefined }));
    });

    it("refuses a value that is not a function or 'next'", () => {
      const error = invalidOption("handler", "a function or 'next'", "true");
      assert.throws(() => createUnchecked({ handler: true }), error);
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
