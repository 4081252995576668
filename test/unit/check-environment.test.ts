/** The check's children run a package's own tests: nothing from our environment may change their outcome. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childEnvironment } from "../../src/check/child-environment.js";

describe("childEnvironment", () => {
  it("drops NODE_TEST_CONTEXT, which would make a package's own node --test exit 0 whatever happened", () => {
    const env = childEnvironment({ NODE_TEST_CONTEXT: "child-v8", PATH: "/bin", npm_lifecycle_event: "test" });
    assert.equal(env.NODE_TEST_CONTEXT, undefined);
    assert.equal(env.npm_lifecycle_event, undefined);
    assert.equal(env.PATH, "/bin");
  });
});
