/**
 * A generated package's tests fail, not hang, when the middleware never answers: its `test` and
 * `test:coverage` scripts give every test file a timeout. Proven without the registry: the package's own
 * `test` command runs a test whose server never answers (the middleware that never calls next), with this
 * repository's tsx linked in and the timeout shortened.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, readFile, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO, runCli, tempDir } from "../helpers/cli.js";

let work: { path: string; remove: () => Promise<void> };
before(async () => {
  work = await tempDir("cm-timeout-");
});
after(() => work.remove());

const HANGING_TEST = `import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, it } from "node:test";

let server: Server;
before(async () => {
  // A middleware that never calls next: the request is never answered.
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it("gets an answer", async () => {
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => request({ host: "127.0.0.1", port }, resolve).end());
});
`;

/** Runs a package script's command line in a shell; resolves with how it ended, or rejects if it hangs. */
function runScript(command: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // NODE_TEST_CONTEXT would make the child's runner take itself for a nested one and run nothing.
    const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
    const child = spawn(command, { cwd, env, shell: true, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    // Not a timed assertion: the guard only keeps a regression (no timeout in the script) from hanging this file.
    const guard = setTimeout(() => {
      if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
      reject(new Error(`the test script hung: ${command}\n${output}`));
    }, 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

describe("generated test scripts", () => {
  for (const target of ["express", "socket.io"]) {
    it(`${target}: a test whose request is never answered fails on the script's timeout`, async () => {
      const pkg = path.join(work.path, `hang-${target.replace(".", "")}`);
      const created = await runCli([pkg, "--yes", "--no-install", "--no-git", "--target", target], { cwd: work.path });
      assert.equal(created.code, 0, created.stderr);
      const scripts = JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8")).scripts as Record<string, string>;
      for (const name of ["test", "test:coverage", "test:consumers"]) assert.match(scripts[name]!, / --test-timeout=\d+ /, name);

      // The generated tests need the registry's packages; one that hangs takes their place.
      for (const file of await readdir(path.join(pkg, "test"))) if (file.endsWith(".test.ts")) await rm(path.join(pkg, "test", file));
      await writeFile(path.join(pkg, "test", "hang.test.ts"), HANGING_TEST);
      await mkdir(path.join(pkg, "node_modules"));
      await symlink(path.join(REPO, "node_modules", "tsx"), path.join(pkg, "node_modules", "tsx"), "junction");

      // The package's own command, with a second instead of its minute.
      const command = scripts.test!.replace(/--test-timeout=\d+/, "--test-timeout=1000");
      const result = await runScript(command, pkg);
      assert.equal(result.code, 1, result.output);
      assert.match(result.output, /timed out after 1000ms/);
      assert.match(result.output, /^# pass 0$/m);
    });
  }
});
