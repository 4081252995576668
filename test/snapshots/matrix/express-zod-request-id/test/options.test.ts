import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-zod-request-id";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_ZOD_REQUEST_ID_INVALID_OPTION";
const OPTION_NAMES = ["header", "setHeader", "trustIncoming", "asyncContext", "skip", "onRequest", "generator"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkExpressZodRequestId;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkExpressZodRequestId as Unchecked;

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

  describe("header", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).header, "X-Request-Id");
      assert.deepEqual(settings({ header: undefined }).header, "X-Request-Id");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ header: "example" }).header, "example");
      assert.doesNotThrow(() => create({ header: "example" }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("header", "a string", "42");
      assert.throws(() => createUnchecked({ header: 42 }), error);
    });
  });

  describe("setHeader", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).setHeader, true);
      assert.deepEqual(settings({ setHeader: undefined }).setHeader, true);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ setHeader: false }).setHeader, false);
      assert.doesNotThrow(() => create({ setHeader: false }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("setHeader", "true or false", '"yes"');
      assert.throws(() => createUnchecked({ setHeader: "yes" }), error);
    });
  });

  describe("trustIncoming", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).trustIncoming, false);
      assert.deepEqual(settings({ trustIncoming: undefined }).trustIncoming, false);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ trustIncoming: true }).trustIncoming, true);
      assert.doesNotThrow(() => create({ trustIncoming: true }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("trustIncoming", "true or false", '"yes"');
      assert.throws(() => createUnchecked({ trustIncoming: "yes" }), error);
    });
  });

  describe("asyncContext", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).asyncContext, false);
      assert.deepEqual(settings({ asyncContext: undefined }).asyncContext, false);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ asyncContext: true }).asyncContext, true);
      assert.doesNotThrow(() => create({ asyncContext: true }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("asyncContext", "true or false", '"yes"');
      assert.throws(() => createUnchecked({ asyncContext: "yes" }), error);
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

  describe("skip", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ skip: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("skip", "a function", "true");
      assert.throws(() => createUnchecked({ skip: true }), error);
    });
  });

  describe("onRequest", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ onRequest: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("onRequest", "a function", "true");
      assert.throws(() => createUnchecked({ onRequest: true }), error);
    });
  });

  describe("generator", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ generator: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("generator", "a function", "true");
      assert.throws(() => createUnchecked({ generator: true }), error);
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
