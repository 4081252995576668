import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pkg from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-socketio-typebox-rate-limit";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_SOCKETIO_TYPEBOX_RATE_LIMIT_INVALID_OPTION";
const OPTION_NAMES = ["limit", "windowMs", "ipv6Subnet", "keyGenerator", "skip", "store", "now"];
const EXPORTED_CODE = pkg.INVALID_OPTION_CODE;
const create = pkg.checkSocketioTypeboxRateLimit;

// These tests pass deliberately wrong values, which the types would refuse.
type Unchecked = (options?: unknown) => unknown;
const createUnchecked = pkg.checkSocketioTypeboxRateLimit as Unchecked;

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

  describe("limit", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).limit, 60);
      assert.deepEqual(settings({ limit: undefined }).limit, 60);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ limit: 61 }).limit, 61);
      assert.doesNotThrow(() => create({ limit: 61 }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("limit", "a finite number", '"10"');
      assert.throws(() => createUnchecked({ limit: "10" }), error);
    });
  });

  describe("windowMs", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).windowMs, 60000);
      assert.deepEqual(settings({ windowMs: undefined }).windowMs, 60000);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ windowMs: 60001 }).windowMs, 60001);
      assert.doesNotThrow(() => create({ windowMs: 60001 }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("windowMs", "a finite number", '"10"');
      assert.throws(() => createUnchecked({ windowMs: "10" }), error);
    });
  });

  describe("ipv6Subnet", () => {
    it("has a default", () => {
      assert.deepEqual(settings({}).ipv6Subnet, 56);
      assert.deepEqual(settings({ ipv6Subnet: undefined }).ipv6Subnet, 56);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(settings({ ipv6Subnet: 57 }).ipv6Subnet, 57);
      assert.doesNotThrow(() => create({ ipv6Subnet: 57 }));
    });

    it("refuses a value of the wrong type", () => {
      const error = invalidOption("ipv6Subnet", "a finite number", '"10"');
      assert.throws(() => createUnchecked({ ipv6Subnet: "10" }), error);
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

  describe("keyGenerator", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ keyGenerator: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("keyGenerator", "a function", "true");
      assert.throws(() => createUnchecked({ keyGenerator: true }), error);
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

  describe("store", () => {
    it("accepts a store with an increment method", () => {
      assert.doesNotThrow(() => createUnchecked({ store: { increment: () => ({ count: 1, resetAt: 0 }) } }));
    });

    it("refuses a value that is not a store with an increment method", () => {
      const error = invalidOption("store", "a store with an increment method", "true");
      assert.throws(() => createUnchecked({ store: true }), error);
    });
  });

  describe("now", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ now: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      const error = invalidOption("now", "a function", "true");
      assert.throws(() => createUnchecked({ now: true }), error);
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
