/**
 * The check job of the workflow `template init` writes (.github/workflows/check.yml): the first matrix
 * entry's `run:` commands executed as written (test/helpers/pack-workflow.ts), which installs a shard of
 * generated packages from the npm registry and checks them. The rest of the workflow is
 * test/e2e/check-workflow.test.ts.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Job, type PackWorkflow, packWorkflowFixture } from "../helpers/pack-workflow.js";

let fixture: PackWorkflow;
before(async () => {
  fixture = await packWorkflowFixture("cm-check-workflow-");
});
after(() => fixture.remove());

describe("the pack workflow written by template init", () => {
  it("check job: the first matrix entry's commands run as written and pass", async () => {
    const workflow = await fixture.readWorkflow();
    const job = workflow.jobs.check as Job;
    const matrix = Object.fromEntries(Object.entries(job.strategy?.matrix ?? {}).map(([key, values]) => [key, values[0]]));
    const log = path.join(fixture.work, "npx-check.log");
    const results = await fixture.runJob(job, matrix, log);
    for (const result of results) assert.equal(result.status, 0, `${result.script}\n${result.stdout}\n${result.stderr.slice(-4000)}`);
    assert.match(results.at(-1)?.stderr ?? "", /check passed \(shard 1\/2\): 6 combinations/);
    assert.deepEqual((await readFile(log, "utf8")).trim().split("\n"), [await fixture.expectedSpec()]);
  });
});
