import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestWord, editDistance } from "../../src/answers/suggest.js";

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit", () => {
    assert.equal(editDistance("udpate", "update"), 1);
    assert.equal(editDistance("updte", "update"), 1);
    assert.equal(editDistance("abc", "xyz"), 3);
  });

  it("suggests only close words, two edits only for long ones", () => {
    const commands = ["check", "update", "outdated", "template", "help"];
    assert.equal(closestWord("updte", commands), "update");
    assert.equal(closestWord("outdatd", commands), "outdated");
    assert.equal(closestWord("otdatd", commands), "outdated");
    assert.equal(closestWord("chek", commands), "check");
    assert.equal(closestWord("hlep", commands), "help");
    assert.equal(closestWord("my-logger", commands), undefined);
    assert.equal(closestWord("upd", commands), undefined);
    assert.equal(closestWord("update", commands), "update");
  });
});
