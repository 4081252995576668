import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpressZodRateLimit, INVALID_OPTION_CODE as EXPORTED_CODE } from "../src/index.js";
import { describeValue, parseSettings } from "../src/options.js";

const PACKAGE_NAME = "check-express-zod-rate-limit";
// Written out, not imported: the code is part of the API and must not change by accident.
const INVALID_OPTION_CODE = "ERR_CHECK_EXPRESS_ZOD_RATE_LIMIT_INVALID_OPTION";
const OPTION_NAMES = ["limit", "windowMs", "headers", "standardHeaders", "ipv6Subnet", "keyGenerator", "skip", "store", "now", "handler"];

// These tests pass deliberately wrong values, which the types would refuse.
const createUnchecked = checkExpressZodRateLimit as (options?: unknown) => unknown;

/** The error `assert.throws` expects for a bad option. */
function invalidOption(key: string, expected: string, received: string) {
  return { name: "TypeError", code: INVALID_OPTION_CODE, message: `${PACKAGE_NAME}: invalid option "${key}": ${expected}, received ${received}` };
}

describe("options", () => {
  it("works without options", () => {
    assert.doesNotThrow(() => checkExpressZodRateLimit());
    assert.doesNotThrow(() => checkExpressZodRateLimit({}));
  });

  describe("limit", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).limit, 60);
      assert.deepEqual(parseSettings({ limit: undefined }, OPTION_NAMES).limit, 60);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ limit: 61 }, OPTION_NAMES).limit, 61);
      assert.doesNotThrow(() => checkExpressZodRateLimit({ limit: 61 }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ limit: "10" }),
        invalidOption("limit", "a finite number", '"10"'),
      );
    });
  });

  describe("windowMs", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).windowMs, 60000);
      assert.deepEqual(parseSettings({ windowMs: undefined }, OPTION_NAMES).windowMs, 60000);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ windowMs: 60001 }, OPTION_NAMES).windowMs, 60001);
      assert.doesNotThrow(() => checkExpressZodRateLimit({ windowMs: 60001 }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ windowMs: "10" }),
        invalidOption("windowMs", "a finite number", '"10"'),
      );
    });
  });

  describe("headers", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).headers, true);
      assert.deepEqual(parseSettings({ headers: undefined }, OPTION_NAMES).headers, true);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ headers: false }, OPTION_NAMES).headers, false);
      assert.doesNotThrow(() => checkExpressZodRateLimit({ headers: false }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ headers: "yes" }),
        invalidOption("headers", "true or false", '"yes"'),
      );
    });
  });

  describe("standardHeaders", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).standardHeaders, "draft-6");
      assert.deepEqual(parseSettings({ standardHeaders: undefined }, OPTION_NAMES).standardHeaders, "draft-6");
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ standardHeaders: "draft-7" }, OPTION_NAMES).standardHeaders, "draft-7");
      assert.doesNotThrow(() => checkExpressZodRateLimit({ standardHeaders: "draft-7" }));
    });

    it("accepts each of its values", () => {
      for (const value of ["draft-6", "draft-7", "draft-8"] as const) assert.equal(parseSettings({ standardHeaders: value }, OPTION_NAMES).standardHeaders, value);
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ standardHeaders: "other" }),
        invalidOption("standardHeaders", 'one of "draft-6", "draft-7", "draft-8"', '"other"'),
      );
    });
  });

  describe("ipv6Subnet", () => {
    it("has a default", () => {
      assert.deepEqual(parseSettings({}, OPTION_NAMES).ipv6Subnet, 56);
      assert.deepEqual(parseSettings({ ipv6Subnet: undefined }, OPTION_NAMES).ipv6Subnet, 56);
    });

    it("accepts a valid value", () => {
      assert.deepEqual(parseSettings({ ipv6Subnet: 57 }, OPTION_NAMES).ipv6Subnet, 57);
      assert.doesNotThrow(() => checkExpressZodRateLimit({ ipv6Subnet: 57 }));
    });

    it("refuses a value of the wrong type", () => {
      assert.throws(
        () => createUnchecked({ ipv6Subnet: "10" }),
        invalidOption("ipv6Subnet", "a finite number", '"10"'),
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

  describe("keyGenerator", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ keyGenerator: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ keyGenerator: true }), invalidOption("keyGenerator", "a function", "true"));
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

  describe("store", () => {
    it("accepts a store with an increment method", () => {
      assert.doesNotThrow(() => createUnchecked({ store: { increment: () => ({ count: 1, resetAt: 0 }) } }));
    });

    it("refuses a value that is not a store with an increment method", () => {
      assert.throws(() => createUnchecked({ store: true }), invalidOption("store", "a store with an increment method", "true"));
    });
  });

  describe("now", () => {
    it("accepts a function", () => {
      assert.doesNotThrow(() => createUnchecked({ now: () => undefined }));
    });

    it("refuses a value that is not a function", () => {
      assert.throws(() => createUnchecked({ now: true }), invalidOption("now", "a function", "true"));
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
