/** A rendered package runs nothing on install: no install-time scripts, no package-manager configuration. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { assertRunsNothingOnInstall } from "../../src/render/install-time-code.js";
import type { PlannedFile } from "../../src/render/plan.js";

const file = (path: string, contents: string): PlannedFile => ({ path, contents: Buffer.from(contents), source: `team pack/base/${path}.hbs` });
const packageJson = (scripts: Record<string, string>) => file("package.json", JSON.stringify({ name: "x", scripts }));

describe("assertRunsNothingOnInstall", () => {
  it("accepts the scripts a package runs only when asked (build, test, prepack)", () => {
    assert.doesNotThrow(() =>
      assertRunsNothingOnInstall([packageJson({ build: "tsc", test: "node --test", prepack: "npm run build" }), file("README.md", "# x\n")]),
    );
  });

  for (const script of ["preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish", "dependencies"]) {
    it(`refuses a "${script}" script, naming the template`, () => {
      assert.throws(
        () => assertRunsNothingOnInstall([packageJson({ [script]: "touch pwned" })]),
        (error: unknown) =>
          error instanceof UsageError && error.message.includes(`"${script}" script`) && error.message.includes("team pack/base/package.json.hbs"),
      );
    });
  }

  for (const name of [
    ".npmrc",
    ".NPMRC",
    ".yarnrc",
    ".yarnrc.yml",
    ".pnpmfile.cjs",
    "pnpm-workspace.yaml",
    "bunfig.toml",
    "binding.gyp",
    "Binding.GYP",
    ".yarn/releases/yarn.cjs",
  ]) {
    it(`refuses the package-manager file ${name}`, () => {
      assert.throws(
        () => assertRunsNothingOnInstall([file(name, "git=/tmp/evil\n")]),
        /which the package manager reads when it installs the package/,
      );
    });
  }

  it("leaves a nested file of the same name alone (managers read the root's)", () => {
    assert.doesNotThrow(() => assertRunsNothingOnInstall([file("example/.npmrc", "x\n")]));
  });

  it("refuses package.json that is not JSON with a usage error, not a crash", () => {
    assert.throws(() => assertRunsNothingOnInstall([file("package.json", "{nope")]), UsageError);
  });
});
