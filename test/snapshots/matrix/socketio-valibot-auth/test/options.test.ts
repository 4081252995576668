import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-socketio-valibot-auth";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_VALIBOT_AUTH_INVALID_OPTION";
const OPTION_NAMES = ["authField", "required", "timeout", "verify", "onError"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkSocketioValibotAuth;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkSocketioValibotAuth as Unchecked;

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

  describe("authField", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).authField, "token");
      assert.deepEqual(settings({ authField: undefined }).authField, "token");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ authField: "example" }).authField, "example");
      assert.doesNotThrow(() => create({ authField: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("authField", "a string", "42");
      assert.throws(() => createUnchecked({ authField: 42 }), error);
    });
  });

  describe("required", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).required, true);
      assert.deepEqual(settings({ required: undefined }).required, true);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ required: false }).required, false);
      assert.doesNotThrow(() => create({ required: false }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("required", "true or false", '"yes"');
      assert.throws(() => createUnchecked({ required: "yes" }), error);
    });
  });

  describe("timeout", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).timeout, 5000);
      assert.deepEqual(settings({ timeout: undefined }).timeout, 5000);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ timeout: 5001 }).timeout, 5001);
      assert.doesNotThrow(() => create({ timeout: 5001 }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("timeout", "a finite number", '"10"');
      assert.throws(() => createUnchecked({ timeout: "10" }), error);
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
