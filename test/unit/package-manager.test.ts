import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PACKAGE_MANAGERS, type PackageManager } from "../../src/answers/answers.js";
import { retryCommand } from "../../src/system/install.js";
import { nextSteps } from "../../src/commands/create.js";
import { detectPackageManager, formatCommand, packageManagerCommands } from "../../src/system/package-manager.js";

const EXPECTED: Record<PackageManager, { install: string; add: string; test: string; example: string; build: string; exec: string }> = {
  npm: { install: "npm install", add: "npm install", test: "npm test", example: "npm run example", build: "npm run build", exec: "npx tsc --noEmit" },
  pnpm: {
    install: "pnpm install",
    add: "pnpm add",
    test: "pnpm test",
    example: "pnpm run example",
    build: "pnpm run build",
    exec: "pnpm exec tsc --noEmit",
  },
  yarn: {
    install: "yarn install",
    add: "yarn add",
    test: "yarn test",
    example: "yarn run example",
    build: "yarn run build",
    exec: "yarn exec tsc --noEmit",
  },
  bun: {
    install: "bun install",
    add: "bun add",
    test: "bun run test",
    example: "bun run example",
    build: "bun run build",
    exec: "bunx tsc --noEmit",
  },
};

describe("packageManagerCommands", () => {
  for (const manager of PACKAGE_MANAGERS) {
    it(`spells install, add, run and exec the ${manager} way`, () => {
      const commands = packageManagerCommands(manager);
      const expected = EXPECTED[manager];
      assert.equal(formatCommand(commands.install), expected.install);
      assert.equal(formatCommand(commands.add), expected.add);
      assert.equal(formatCommand(commands.run("test")), expected.test);
      assert.equal(formatCommand(commands.run("example")), expected.example);
      assert.equal(formatCommand(commands.run("build")), expected.build);
      assert.equal(formatCommand(commands.exec("tsc", "--noEmit")), expected.exec);
    });
  }

  it("keeps the program and its arguments apart (what gets spawned)", () => {
    assert.deepEqual(packageManagerCommands("pnpm").exec("tsc", "-p", "x y"), { command: "pnpm", args: ["exec", "tsc", "-p", "x y"] });
    assert.deepEqual(packageManagerCommands("npm").install, { command: "npm", args: ["install"] });
  });

  it("is pure: every call gives equal, independent data", () => {
    const first = packageManagerCommands("yarn");
    first.install.args.push("--mutated");
    assert.deepEqual(packageManagerCommands("yarn").install, { command: "yarn", args: ["install"] });
  });
});

describe("formatCommand", () => {
  it("quotes arguments a shell would split or expand", () => {
    assert.equal(formatCommand({ command: "cd", args: ["my dir"] }), "cd 'my dir'");
    assert.equal(formatCommand({ command: "cd", args: ["it's"] }), "cd 'it'\\''s'");
    assert.equal(formatCommand({ command: "cd", args: ["./@acme/x-1.2"] }), "cd ./@acme/x-1.2");
  });
});

describe("detectPackageManager", () => {
  it("reads the manager that launched the CLI from npm_config_user_agent", () => {
    assert.equal(detectPackageManager("npm/10.8.2 node/v20.19.0 linux x64 workspaces/false"), "npm");
    assert.equal(detectPackageManager("pnpm/9.12.0 npm/? node/v22.11.0 darwin arm64"), "pnpm");
    assert.equal(detectPackageManager("yarn/1.22.22 npm/? node/v20.19.0 linux x64"), "yarn");
    assert.equal(detectPackageManager("bun/1.1.30 npm/? node/v22.6.0 linux x64"), "bun");
  });
  it("gives undefined for no user agent or an unknown manager", () => {
    assert.equal(detectPackageManager(undefined), undefined);
    assert.equal(detectPackageManager(""), undefined);
    assert.equal(detectPackageManager("cnpm/9.0.0 node/v20.19.0"), undefined);
  });
});

describe("next steps and retry commands", () => {
  it("lists cd, the install when it was skipped, test and example in the manager's words", () => {
    assert.deepEqual(nextSteps("./my-logger", "npm", false), ["cd ./my-logger", "npm install", "npm test", "npm run example"]);
    assert.deepEqual(nextSteps("./my-logger", "pnpm", true), ["cd ./my-logger", "pnpm test", "pnpm run example"]);
    assert.deepEqual(nextSteps(".", "bun", false), ["bun install", "bun run test", "bun run example"]);
    assert.deepEqual(nextSteps("./my dir", "yarn", true), ["cd './my dir'", "yarn test", "yarn run example"]);
    // Not installed but committed: the lockfile the install writes is not in the commit, and CI needs it.
    assert.deepEqual(nextSteps("./my-logger", "npm", false, true), [
      "cd ./my-logger",
      "npm install",
      "git add package-lock.json && git commit -m 'Add package-lock.json'",
      "npm test",
      "npm run example",
    ]);
    assert.deepEqual(nextSteps(".", "pnpm", false, true)[1], "git add pnpm-lock.yaml && git commit -m 'Add pnpm-lock.yaml'");
    assert.equal(
      nextSteps(".", "npm", true, true).some((step) => step.startsWith("git add")),
      false,
      "installed: the lockfile is in the initial commit",
    );
  });
  it("prints the exact command to retry an install", () => {
    assert.equal(retryCommand("./my-logger", "npm"), "cd ./my-logger && npm install");
    assert.equal(retryCommand(".", "yarn"), "yarn install");
    assert.equal(retryCommand("/tmp/a b", "pnpm"), "cd '/tmp/a b' && pnpm install");
  });
});
