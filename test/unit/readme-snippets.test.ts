/**
 * Code the generated READMEs give to copy, run here as written: a snippet users paste into production must
 * do what the prose beside it says. Rendered in memory, the snippet cut out of the README and evaluated.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { describe, it } from "node:test";
import type { Answers } from "../../src/answers/answers.js";
import { planMiddlewarePackage } from "../../src/create.js";

async function readme(extra: Partial<Answers>): Promise<string> {
  const answers: Answers = {
    directory: path.resolve("/tmp/never-written/pkg"),
    packageName: "socket-limit",
    target: "socket.io",
    schema: "none",
    starter: "rate-limit",
    description: "",
    fields: undefined,
    packageManager: "npm",
    install: false,
    git: false,
    ...extra,
  };
  const plan = await planMiddlewarePackage(answers, { environment: { author: "Ann Lee", year: 2026 } });
  const file = plan.files.find((candidate) => candidate.path === "README.md");
  assert.ok(file, "README.md is generated");
  return file.contents.toString("utf8");
}

type KeyGenerator = (socket: { handshake: { address: string; headers: Record<string, string | undefined> } }) => string;

describe("the Socket.IO rate-limit README's keyGenerator behind a proxy", () => {
  for (const schema of ["none", "zod"] as const) {
    it(`counts by what the proxy appended, never by what the client sent (schema ${schema})`, async () => {
      const text = await readme({ schema });
      const proxies = /^const PROXIES = (\d+);/m.exec(text);
      const generator = /^ {4}keyGenerator: (\(socket\) => \{\n[\s\S]*?\n {4}\}),$/m.exec(text);
      assert.ok(proxies && generator, "the README shows PROXIES and a keyGenerator");
      const keyOf = runInNewContext(`const PROXIES = ${proxies[1]}; (${generator[1]})`, { String }) as KeyGenerator;
      const socket = (forwardedFor: string | undefined) => ({ handshake: { address: "10.0.0.2", headers: { "x-forwarded-for": forwardedFor } } });

      assert.equal(keyOf(socket("198.51.100.7")), "198.51.100.7", "one proxy: the address it saw");
      // A client adds entries of its own to the left: a new one per connection must not be a new budget.
      assert.equal(keyOf(socket("1.1.1.1, 198.51.100.7")), "198.51.100.7");
      assert.equal(keyOf(socket("2.2.2.2,198.51.100.7")), "198.51.100.7");
      assert.equal(keyOf(socket(undefined)), "10.0.0.2", "no header: the socket's own address");
      assert.equal(keyOf(socket("")), "10.0.0.2");
    });
  }
});
