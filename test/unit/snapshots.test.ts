/**
 * Rendering snapshots: the complete output for fixed answers, one package per target, compared byte for byte
 * with test/snapshots/<case>.snap (every file of the package, each under a `==> path <==` header). A template
 * change shows up here as a readable diff of the generated code.
 * After an intended change: UPDATE_SNAPSHOTS=1 npm run test:unit, then review and commit the diff.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Answers } from "../../src/answers/answers.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { parseOptionSpec } from "../../src/answers/option-fields.js";

const SNAPSHOTS = fileURLToPath(new URL("../snapshots/", import.meta.url));
const update = process.env.UPDATE_SNAPSHOTS === "1";

const cases: Array<{ name: string; answers: Omit<Answers, "directory"> }> = [
  {
    name: "express-none",
    answers: {
      packageName: "my-logger",
      target: "express",
      schema: "none",
      starter: "request-id",
      description: "Logs requests.",
      fields: undefined,
      packageManager: "npm",
      install: false,
      git: false,
    },
  },
  {
    name: "socket.io-zod-custom",
    answers: {
      packageName: "@acme/my-auth",
      target: "socket.io",
      schema: "zod",
      starter: "auth",
      description: "Checks tokens.",
      fields: ["level:info|debug=info", "tags:string[]"].map(parseOptionSpec),
      packageManager: "pnpm",
      install: false,
      git: false,
    },
  },
  // One package per further starter, each with another schema and package manager.
  ...(
    [
      ["express", "blank", "valibot", "my-middleware"],
      ["express", "logger", "zod", "@acme/access-log"],
      ["express", "request-time", "typebox", "request-timer"],
      ["express", "async-guard", "joi", "@acme/cookie-guard"],
      ["express", "auth", "none", "bearer-auth"],
      ["express", "rate-limit", "zod", "@acme/rate-guard"],
      ["socket.io", "blank", "none", "my-socket-middleware"],
      ["socket.io", "logger", "valibot", "@acme/socket-log"],
      ["socket.io", "rate-limit", "typebox", "connection-limit"],
    ] as const
  ).map(([target, starter, schema, packageName]) => ({
    name: `${target}-${starter}`,
    answers: { packageName, target, schema, starter, description: "", fields: undefined, packageManager: "npm" as const, install: false, git: false },
  })),
];

/** One text file holding the whole package: easy to review, and not a package of its own. */
function snapshotText(files: ReadonlyArray<{ path: string; contents: Buffer }>): string {
  return [...files]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((file) => `==> ${file.path} <==\n${file.contents.toString("utf8")}`)
    .join("\n");
}

describe("rendering snapshots", () => {
  for (const { name, answers } of cases) {
    it(name, async () => {
      const plan = await planMiddlewarePackage(
        { ...answers, directory: path.join(SNAPSHOTS, name) },
        { environment: { author: "Jane Doe", year: 2026 } },
      );
      const snapshot = path.join(SNAPSHOTS, `${name}.snap`);
      const actual = snapshotText(plan.files);
      if (update) {
        await mkdir(SNAPSHOTS, { recursive: true });
        await writeFile(snapshot, actual);
      }
      const expected = await readFile(snapshot, "utf8").catch(() => "(no snapshot yet: run with UPDATE_SNAPSHOTS=1)");
      assert.equal(actual, expected);
    });
  }
});
