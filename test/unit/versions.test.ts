import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, highest, parseRange, parseVersion, satisfies } from "../../src/packs/versions.js";

const v = (text: string) => {
  const version = parseVersion(text);
  assert.ok(version, text);
  return version;
};
const inRange = (version: string, range: string) => satisfies(v(version), parseRange(range)!);

describe("versions of packs (git tags, npm versions)", () => {
  it("reads tags with or without v, partial versions, prereleases; other tags are not versions", () => {
    assert.deepEqual({ ...v("v2"), text: "" }, { major: 2, minor: 0, patch: 0, prerelease: [], text: "" });
    assert.deepEqual(v("1.2.3-beta.1").prerelease, ["beta", "1"]);
    for (const tag of ["latest", "stable", "release-2024", "v1.2.3.4", "2024-01-01"]) assert.equal(parseVersion(tag), undefined, tag);
  });

  it("orders numerically (v10 > v2), a prerelease before its release", () => {
    assert.ok(compareVersions(v("v10.0.0"), v("v2.0.0")) > 0);
    assert.ok(compareVersions(v("2.0.0-beta.2"), v("2.0.0-beta.10")) < 0);
    assert.ok(compareVersions(v("2.0.0-rc.1"), v("2.0.0")) < 0);
    assert.equal(highest(["v1.0.0", "v10.0.0", "v2.5.0", "v11.0.0-beta.1"].map(v))?.text, "v10.0.0");
    assert.equal(highest(["v11.0.0-beta.1", "v10.0.0"].map(v), undefined, true)?.text, "v11.0.0-beta.1");
  });

  it("npm's range forms", () => {
    const cases: [string, string, boolean][] = [
      ["1.9.0", "^1", true],
      ["2.0.0", "^1", false],
      ["0.2.9", "^0.2", true],
      ["0.3.0", "^0.2.1", false],
      ["1.2.9", "~1.2", true],
      ["1.3.0", "~1.2.0", false],
      ["2.9.0", "2.x", true],
      ["2.0.0", ">=1.2 <2", false],
      ["1.5.0", "1.2 - 1.8", true],
      ["3.1.0", "1 || 3", true],
      ["1.2.3", "1.2.3", true],
      ["1.2.4", "1.2.3", false],
      ["5.0.0", "*", true],
      ["2.0.0-beta.1", "^2", false],
      ["2.0.0-beta.2", "^2.0.0-beta.1", true],
    ];
    for (const [version, range, expected] of cases) assert.equal(inRange(version, range), expected, `${version} in ${range}`);
    assert.equal(parseRange("latest"), undefined, "a dist-tag is not a range");
  });
});
