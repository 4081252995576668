/**
 * A sample of packages built from hostile values (test/e2e/property.test.ts checks 1,000 of them cheaply)
 * is type-checked and tested for real: one npm workspace, one install, then each package's own
 * `npm run typecheck` and `npm test`. Every accepted answer must give a package whose own tests pass:
 * among them the header options of issue #12 (a header off by default, a default of X-Request-Id).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createMiddlewarePackage } from "../../src/create.js";
import { resolveAnswers } from "../../src/answers/resolve-answers.js";
import { childEnvironment } from "../../src/check/child-environment.js";

const HOSTILE = `it's "quoted" */ \${x} \`tick\` <b>|</b> \\ [a](b) # *em* _u_ é 😀`;

interface Sample {
  slug: string;
  flags: Parameters<typeof resolveAnswers>[0];
}

const SAMPLES: Sample[] = [
  {
    slug: "header-off",
    flags: { directory: "header-off", target: "express", schema: "none", option: ["header:string=x-fine", "setHeader:boolean=false"] },
  },
  {
    slug: "header-taken",
    flags: { directory: "header-taken", target: "express", schema: "zod", option: ["header:string=x-request-id"], description: HOSTILE },
  },
  {
    slug: "class",
    flags: {
      directory: "class",
      name: "@acme/class",
      target: "express",
      schema: "valibot",
      description: HOSTILE,
      option: [`title:string=${HOSTILE}`, 'mode:a b|c"d|e*/=c"d', "tags:string[]=a, b ,c"],
    },
  },
  {
    slug: "404-guard",
    flags: { directory: "404-guard", target: "socket.io", schema: "typebox", description: HOSTILE, option: ["n:number=-0.5", "flag:boolean=false"] },
  },
  { slug: "sio-starter", flags: { directory: "sio-starter", target: "socket.io", schema: "joi", description: HOSTILE } },
];

let root: string;
before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "cm-property-sample-"));
  mkdirSync(path.join(root, "packages"));
  writeFileSync(
    path.join(root, "package.json"),
    `${JSON.stringify({ name: "cm-property-sample", private: true, workspaces: ["packages/*"] }, null, 2)}\n`,
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnvironment(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A few more packages from fast-check's hostile option values (a fixed seed: the same sample every run). */
function generatedSamples(): Sample[] {
  const identifier = fc
    .stringMatching(/^[a-z][A-Za-z0-9_$]{0,8}$/)
    .filter((name) => !["header", "setHeader", "skip", "onRequest", "verify"].includes(name));
  const safeText = fc.string({ maxLength: 12 }).map((value) => value.replace(/[|=,]/g, ""));
  const spec = fc.oneof(
    fc.tuple(identifier, safeText).map(([name, value]) => `${name}:string=${value}`),
    fc.tuple(identifier, fc.integer({ min: -1000, max: 1000 })).map(([name, value]) => `${name}:number=${value}`),
    fc
      .tuple(
        identifier,
        fc.uniqueArray(
          safeText.filter((value) => value.trim() !== ""),
          { minLength: 2, maxLength: 3 },
        ),
      )
      .map(([name, values]) => `${name}:${values.join("|")}=${values[0]!.trim()}`),
  );
  const specs = fc.sample(fc.uniqueArray(spec, { minLength: 2, maxLength: 3, selector: (value) => value.split(":")[0] }), { numRuns: 2, seed: 12 });
  return specs.map((option, index) => ({
    slug: `generated-${index}`,
    flags: { directory: `generated-${index}`, target: index % 2 === 0 ? "express" : "socket.io", schema: "none", option, description: HOSTILE },
  }));
}

describe("hostile samples, type-checked and tested", { timeout: 20 * 60_000 }, () => {
  const samples = [...SAMPLES, ...generatedSamples()];
  let installed: { code: number | null; output: string };

  before(async () => {
    for (const sample of samples) {
      const answers = await resolveAnswers({ install: false, git: false, ...sample.flags }, { cwd: path.join(root, "packages") });
      await createMiddlewarePackage({ answers, environment: { author: 'Ann "# Lee"', year: 2026 } });
    }
    installed = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], root);
  });

  it("one install serves every sample", () => {
    assert.equal(installed.code, 0, installed.output.slice(-3000));
  });

  for (const sample of [...SAMPLES, ...generatedSamples()]) {
    it(`${sample.slug}: ${JSON.stringify(sample.flags.option ?? "starter set")} type-checks and passes its own tests`, async () => {
      assert.equal(installed.code, 0, "the install failed");
      const directory = path.join(root, "packages", sample.slug);
      const typecheck = await run("npm", ["run", "typecheck"], directory);
      assert.equal(typecheck.code, 0, typecheck.output.slice(-4000));
      const test = await run("npm", ["test"], directory);
      assert.equal(test.code, 0, test.output.slice(-4000));
    });
  }
});
