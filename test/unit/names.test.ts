import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import {
  assertValidPackageName,
  constantIdentifier,
  factoryIdentifier,
  headerName,
  packageNameProblem,
  resolveLocation,
  suggestPackageName,
  typeIdentifier,
} from "../../src/answers/names.js";
import { UsageError } from "../../src/errors.js";

describe("factoryIdentifier", () => {
  const cases: Array<[string, string]> = [
    ["my-logger", "myLogger"],
    ["@acme/my-logger", "myLogger"],
    ["my.logger", "myLogger"],
    ["my_logger", "myLogger"],
    ["404-handler", "middleware404Handler"],
    ["delete", "deleteMiddleware"],
    ["class", "classMiddleware"],
    ["x", "x"],
    ["request-id-v2", "requestIdV2"],
  ];
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected}`, () => {
      const identifier = factoryIdentifier(name);
      assert.equal(identifier, expected);
      // A real parse: the identifier must be usable as a function name in strict-mode code.
      assert.doesNotThrow(() => new Function(`"use strict"; function ${identifier}() {} return ${identifier};`));
    });
  }
});

describe("derived names", () => {
  it("types, constants and header names", () => {
    assert.equal(typeIdentifier("myLogger"), "MyLogger");
    assert.equal(constantIdentifier("myLogger"), "MY_LOGGER");
    assert.equal(constantIdentifier("middleware404Handler"), "MIDDLEWARE404_HANDLER");
    assert.equal(headerName("@acme/my-logger"), "X-My-Logger");
    assert.match(headerName("404.handler"), /^[A-Za-z0-9-]+$/);
  });
});

describe("package names", () => {
  it("accepts valid and scoped names", () => {
    assert.doesNotThrow(() => assertValidPackageName("my-logger"));
    assert.doesNotThrow(() => assertValidPackageName("@acme/my-logger"));
  });
  it("refuses invalid names with npm's reasons and a suggestion", () => {
    assert.throws(
      () => assertValidPackageName("My Logger"),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /"My Logger" is not a valid npm package name/);
        assert.match(error.message, /--name my-logger/);
        return true;
      },
    );
    assert.throws(() => assertValidPackageName(".hidden"), UsageError);
    assert.throws(() => assertValidPackageName("node_modules"), UsageError);
    assert.throws(() => assertValidPackageName("a".repeat(215)), UsageError);
  });
  it("says what is wrong with a name without throwing, and nothing for a valid one", () => {
    assert.equal(packageNameProblem("@acme/my-logger"), undefined);
    assert.match(packageNameProblem("My Logger") ?? "", /^"My Logger" is not a valid npm package name: .*capital letters/);
    assert.doesNotMatch(packageNameProblem("My Logger") ?? "", /\n/);
  });

  it("suggests a valid name", () => {
    assert.equal(suggestPackageName("My Logger!"), "my-logger");
    assert.doesNotThrow(() => assertValidPackageName(suggestPackageName("__Weird__Name__")));
  });
});

describe("resolveLocation", () => {
  const cwd = path.resolve("/work/projects");
  it("a scoped name creates a directory named after its last part", () => {
    assert.deepEqual(resolveLocation("@acme/my-logger", undefined, cwd), {
      directory: path.join(cwd, "my-logger"),
      packageName: "@acme/my-logger",
    });
  });
  it("a path's base name is the package name unless --name says otherwise", () => {
    assert.deepEqual(resolveLocation("packages/my-logger", undefined, cwd), {
      directory: path.join(cwd, "packages/my-logger"),
      packageName: "my-logger",
    });
    assert.equal(resolveLocation("packages/x", "@acme/y", cwd).packageName, "@acme/y");
    assert.equal(resolveLocation(".", undefined, cwd).packageName, "projects");
  });
});
