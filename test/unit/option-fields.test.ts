import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import {
  describeReceived,
  fieldView,
  optionFieldsProblem,
  optionSpecProblem,
  parseOptionSpec,
  parseOptionSpecs,
} from "../../src/answers/option-fields.js";

describe("parseOptionSpec", () => {
  it("parses every type, with and without defaults", () => {
    assert.deepEqual(parseOptionSpec("header:string=X-Id"), { name: "header", kind: "string", values: [], default: "X-Id", description: "Header." });
    assert.equal(parseOptionSpec("maxItems:number=10").default, 10);
    assert.equal(parseOptionSpec("ratio:number=-0.5").default, -0.5);
    // -0 would be written as 0 everywhere (JSON and JS literals): it is 0 from the start.
    assert.ok(Object.is(parseOptionSpec("zero:number=-0").default, 0));
    assert.equal(parseOptionSpec("verbose:boolean=false").default, false);
    assert.deepEqual(parseOptionSpec("tags:string[]=a, b").default, ["a", "b"]);
    assert.deepEqual(parseOptionSpec("tags:string[]=").default, []);
    assert.equal(parseOptionSpec("label:string").default, undefined);
    assert.equal(parseOptionSpec("prefix:string=").default, "");
    assert.equal(parseOptionSpec("sep:string==").default, "=");
    const union = parseOptionSpec("level:info|debug|warn=debug");
    assert.equal(union.kind, "union");
    assert.deepEqual(union.values, ["info", "debug", "warn"]);
    assert.equal(union.default, "debug");
    assert.equal(parseOptionSpec("maxItems:number").description, "Max items.");
  });

  const bad: Array<[string, RegExp]> = [
    ["header", /has no type/],
    ["header:str", /unknown type "str"/],
    ["max:number=ten", /"ten" is not a finite number/],
    ["max:number=", /"" is not a finite number/],
    ["on:boolean=yes", /"yes" is not true or false/],
    ["level:info|debug=warn", /"warn" is not one of info, debug/],
    ["level:info||debug", /empty member/],
    ["level:info|info", /lists "info" twice/],
    ["2fast:string", /not a valid identifier/],
    ["my-opt:string", /not a valid identifier/],
    ["constructor:string", /a property of every object/],
    ["__proto__:string", /a property of every object/],
  ];
  for (const [spec, message] of bad) {
    it(`refuses ${JSON.stringify(spec)}`, () => {
      let thrown = "";
      assert.throws(
        () => parseOptionSpec(spec),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          assert.match(error.message, /Format: name:type\[=default\]/);
          thrown = error.message;
          return true;
        },
      );
      // The pure validator says the same, on one line, without throwing.
      assert.equal(optionSpecProblem(spec), thrown.split("\n")[0]);
    });
  }

  it("refuses duplicates and names of built-in options", () => {
    assert.throws(() => parseOptionSpecs(["a:string", "a:number"]), /"a" is given twice/);
    assert.throws(() => parseOptionSpecs(["skip:boolean"], ["skip", "onRequest"]), /"skip" is a built-in option/);
    const [a, b] = [parseOptionSpec("a:string"), parseOptionSpec("b:number")];
    assert.equal(optionFieldsProblem([a, b], ["skip"]), undefined);
    assert.equal(optionFieldsProblem([a, b, a], []), 'Invalid --option: "a" is given twice.');
    assert.match(optionFieldsProblem([b], ["b"]) ?? "", /"b" is a built-in option of this starter \(b\)/);
    assert.equal(optionSpecProblem("level:info|debug=debug"), undefined);
  });
});

describe("fieldView", () => {
  it("gives templates types, phrases and test values that disagree with each other where they must", () => {
    for (const spec of ["a:string=x", "b:number=3", "c:boolean=true", "d:string[]", "e:x|y=x", "f:string=example"]) {
      const view = fieldView(parseOptionSpec(spec));
      assert.notDeepEqual(view.validValue, view.defaultValue, `${spec}: the valid test value must differ from the default`);
      assert.notEqual(typeof view.invalidValue === "object" ? "array" : typeof view.invalidValue, view.kind, spec);
      assert.equal(view.invalidReceived, describeReceived(view.invalidValue));
    }
    assert.equal(fieldView(parseOptionSpec("e:x|y=x")).tsType, '"x" | "y"');
    assert.equal(fieldView(parseOptionSpec("e:x|y=x")).expected, 'one of "x", "y"');
  });
  it("describes received values the way the generated code does", () => {
    assert.equal(describeReceived("x"), '"x"');
    assert.equal(describeReceived(42), "42");
    assert.equal(describeReceived(null), "null");
    assert.equal(describeReceived(undefined), "undefined");
    assert.equal(describeReceived([1]), "an array");
    assert.equal(
      describeReceived(() => 1),
      "a function",
    );
    assert.equal(describeReceived({}), "an object");
  });
});
