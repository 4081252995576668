import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpressZodRequestId, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-zod-request-id";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_ZOD_REQUEST_ID_INVALID_OPTION";
const OPTION_NAMES = ["header", "setHeader", "trustIncoming", "asyncContext", "skip", "onRequest", "generator"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkExpressZodRequestId as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkExpressZodRequestId());
    assert.doesNotThrow(() => checkExpressZodRequestId({}));
  });

  describe("header", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).header, "X-Request-Id");
      assert.deepEqual(parseSettings({ header: undefined }, OPTION_NAMES).header, "X-Request-Id");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ header: "example" }, OPTION_NAMES).header, "example");
      assert.doesNotThrow(() => checkExpressZodRequestId({ header: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ header: 42 }),
        invalidOption("header", "a string", "42"),
      );
    });
  });

  describe("setHeader", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).setHeader, true);
      assert.deepEqual(parseSettings({ setHeader: undefined }, OPTION_NAMES).setHeader, true);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ setHeader: false }, OPTION_NAMES).setHeader, false);
      assert.doesNotThrow(() => checkExpressZodRequestId({ setHeader: false }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ setHeader: "yes" }),
        invalidOption("setHeader", "true or false", '"yes"'),
      );
    });
  });

  describe("trustIncoming", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).trustIncoming, false);
      assert.deepEqual(parseSettings({ trustIncoming: undefined }, OPTION_NAMES).trustIncoming, false);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ trustIncoming: true }, OPTION_NAMES).trustIncoming, true);
      assert.doesNotThrow(() => checkExpressZodRequestId({ trustIncoming: true }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ trustIncoming: "yes" }),
        invalidOption("trustIncoming", "true or false", '"yes"'),
      );
    });
  });

  describe("asyncContext", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).asyncContext, false);
      assert.deepEqual(parseSettings({ asyncContext: undefined }, OPTION_NAMES).asyncContext, false);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ asyncContext: true }, OPTION_NAMES).asyncContext, true);
      assert.doesNotThrow(() => checkExpressZodRequestId({ asyncContext: true }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ asyncContext: "yes" }),
        invalidOption("asyncContext", "true or false", '"yes"'),
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

  describe("skip", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ skip: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ skip: true }), invalidOption("skip", "a function", "true"));
    });
  });

  describe("onRequest", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ onRequest: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ onRequest: true }), invalidOption("onRequest", "a function", "true"));
    });
  });

  describe("generator", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ generator: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ generator: true }), invalidOption("generator", "a function", "true"));
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
