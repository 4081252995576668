/**
 * The files a new member needs at the repository's root, planned in memory: its CI workflow (a job matrix
 * over Node versions, path filters so a change elsewhere does not run it, the scripts run from the root),
 * its publish workflow (a tag per package, `name@version`; none when the root releases with changesets),
 * and dependabot entries. Existing files follow the merge rules of `update`: never overwritten. A workflow
 * of ours that exists with other contents is a conflict; dependabot.yml only gains the entries it lacks.
 */
import type { PackageManager } from "../answers/answers.js";
import { formatCommand, packageManagerCommands, workspaceRun } from "../system/package-manager.js";
import { unscopedName } from "../answers/names.js";
import type { Workspace } from "./detect.js";

export interface RootChange {
  /** Path inside the root, forward slashes. */
  path: string;
  /** What is there now (undefined: nothing). */
  before: Buffer | undefined;
  /** What it becomes; equal to `before` when nothing changes. */
  after: Buffer;
  /** Set when the file cannot be changed by the merge rules: why. Nothing is written then. */
  conflict?: string;
}

export interface MemberFacts {
  /** The member's folder, relative to the root, forward slashes. */
  folder: string;
  packageName: string;
  nodeVersions: readonly number[];
  latestNodeVersion: number;
  /** The package wants the template-update workflow: the root gets its one for every member. */
  updateWorkflow?: boolean;
}

const quoted = (value: string) => JSON.stringify(value);

function setupSteps(workspace: Workspace, nodeVersion: string): string[] {
  const manager = workspace.manager;
  return [
    ...(manager === "pnpm"
      ? // With `packageManager` in the root's package.json the action reads the version there (and refuses a second one).
        ["      - uses: pnpm/action-setup@v4", ...(workspace.pinnedManager ? [] : ["        with:", "          version: 10"])]
      : []),
    ...(manager === "bun" ? ["      - uses: oven-sh/setup-bun@v2"] : []),
    "      - uses: actions/setup-node@v4",
    "        with:",
    `          node-version: ${nodeVersion}`,
    ...(manager === "bun" ? [] : [`          cache: ${manager}`]),
    `      - run: ${formatCommand(packageManagerCommands(manager).ci)}`,
  ];
}

const LOCKFILE: Record<PackageManager, string> = { npm: "package-lock.json", pnpm: "pnpm-lock.yaml", yarn: "yarn.lock", bun: "bun.lock" };

export function ciWorkflowPath(packageName: string): string {
  return `.github/workflows/${unscopedName(packageName)}-ci.yml`;
}

export function publishWorkflowPath(packageName: string): string {
  return `.github/workflows/${unscopedName(packageName)}-publish.yml`;
}

export function ciWorkflow(workspace: Workspace, member: MemberFacts): string {
  const run = (script: string) =>
    `      - run: ${formatCommand(workspaceRun(workspace.manager, { folder: member.folder, name: member.packageName }, script))}`;
  const paths = [`${member.folder}/**`, LOCKFILE[workspace.manager], ciWorkflowPath(member.packageName)].map(quoted).join(", ");
  return [
    `# CI for ${member.packageName} (${member.folder}), run from the repository's root: only when the package, the`,
    "# lockfile or this workflow changes. Written by create-middleware; yours to change.",
    `name: ${quoted(`CI ${member.packageName}`)}`,
    "",
    "on:",
    "  push:",
    "    branches: [main]",
    `    paths: [${paths}]`,
    "  pull_request:",
    `    paths: [${paths}]`,
    "",
    "permissions:",
    "  contents: read",
    "",
    "concurrency:",
    "  group: ${{ github.workflow }}-${{ github.ref }}",
    "  cancel-in-progress: true",
    "",
    "jobs:",
    "  test:",
    "    name: Node ${{ matrix.node }}",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    strategy:",
    "      fail-fast: false",
    "      matrix:",
    `        node: [${member.nodeVersions.join(", ")}]`,
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          persist-credentials: false",
    ...setupSteps(workspace, "${{ matrix.node }}"),
    run("typecheck"),
    run("test"),
    run("build"),
    "",
    "  lint:",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          persist-credentials: false",
    ...setupSteps(workspace, String(member.latestNodeVersion)),
    run("lint"),
    "",
  ].join("\n");
}

export function publishWorkflow(workspace: Workspace, member: MemberFacts): string {
  const tag = `${member.packageName}@`;
  const publish =
    workspace.manager === "pnpm" ? "pnpm publish --provenance --access public --no-git-checks" : "npm publish --provenance --access public";
  const run = (script: string) =>
    `      - run: ${formatCommand(workspaceRun(workspace.manager, { folder: member.folder, name: member.packageName }, script))}`;
  return [
    `# Publishes ${member.packageName} to npm when its tag (${tag}1.2.3) is pushed, with provenance.`,
    "# It stays off until you add an NPM_TOKEN secret: without one, the publish job is skipped.",
    "# Written by create-middleware; yours to change.",
    `name: ${quoted(`Publish ${member.packageName}`)}`,
    "",
    "on:",
    "  push:",
    `    tags: [${quoted(`${tag}*`)}]`,
    "",
    "permissions:",
    "  contents: read",
    "",
    "jobs:",
    "  token:",
    "    name: Is an NPM_TOKEN secret set?",
    "    runs-on: ubuntu-latest",
    "    outputs:",
    "      present: ${{ steps.check.outputs.present }}",
    "    steps:",
    "      - id: check",
    "        env:",
    "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}",
    "        run: |",
    '          if [ -n "$NPM_TOKEN" ]; then echo "present=true" >> "$GITHUB_OUTPUT"; else echo "present=false" >> "$GITHUB_OUTPUT"; fi',
    "",
    "  publish:",
    "    needs: token",
    "    if: needs.token.outputs.present == 'true'",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    permissions:",
    "      contents: read",
    "      id-token: write # the OIDC token npm signs the provenance statement with",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          persist-credentials: false",
    ...setupSteps(workspace, String(member.latestNodeVersion)),
    "      - name: The tag is the package's name@version",
    `        working-directory: ${quoted(member.folder)}`,
    "        run: |",
    `          expected="$(node -p 'const p = require("./package.json"); p.name + "@" + p.version')"`,
    '          if [ "$GITHUB_REF_NAME" != "$expected" ]; then',
    '            echo "::error::tag $GITHUB_REF_NAME does not match package.json ($expected)"',
    "            exit 1",
    "          fi",
    run("test"),
    run("build"),
    "      - uses: actions/setup-node@v4",
    "        with:",
    `          node-version: ${member.latestNodeVersion}`,
    "          registry-url: https://registry.npmjs.org",
    `      - run: ${publish}`,
    `        working-directory: ${quoted(member.folder)}`,
    "        env:",
    "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
    "",
  ].join("\n");
}

export const ROOT_UPDATE_WORKFLOW_PATH = ".github/workflows/template-update.yml";

/**
 * The monorepo's one template-update workflow (docs/update.md, "In a monorepo"): the newest create-middleware
 * version the members record, then `update --pull-request --all`, which opens one pull request per pack
 * version. Written once, by the first member that wants it; kept as it is after that.
 */
export function templateUpdateWorkflow(latestNodeVersion: number): string {
  // Run by node -e inside single quotes (the shell expands nothing there): no single quote in it.
  const newestVersion = [
    'const { execFileSync } = require("node:child_process");',
    'const { readFileSync } = require("node:fs");',
    String.raw`const files = execFileSync("git", ["ls-files", "-z", "--", "*.create-middleware.json"], { encoding: "utf8" }).split("\0").filter((file) => /(^|\/)\.create-middleware\.json$/.test(file));`,
    String.raw`const valid = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;`,
    'const read = (file) => { try { return JSON.parse(readFileSync(file, "utf8")).createMiddleware; } catch { return undefined; } };',
    'const versions = files.map(read).filter((version) => typeof version === "string" && valid.test(version));',
    'if (versions.length === 0) { console.error("no .create-middleware.json in the repository records a createMiddleware version"); process.exit(1); }',
    'const parts = (version) => version.split("-")[0].split(".").map(Number);',
    'const newer = (a, b) => { const x = parts(a); const y = parts(b); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i]; return !a.includes("-") && b.includes("-"); };',
    'console.log("version=" + versions.reduce((best, version) => (newer(version, best) ? version : best)));',
  ];
  return [
    "# Opens one pull request per template version for the packages create-middleware made in this monorepo",
    "# (every member folder with a .create-middleware.json): on a schedule, or by hand (Actions > Template",
    "# update > Run workflow). Every package made from the same pack moves to its new version on one branch,",
    "# create-middleware/update-<version>, in one pull request with a section per package. It runs the newest",
    "# create-middleware version the packages record (or the newer one a pack needs), with the runner's gh and",
    "# this run's GITHUB_TOKEN; it never force-pushes over commits it did not write.",
    '# Written by create-middleware; see "Keeping a fleet current" in its README.',
    "name: Template update",
    "",
    "on:",
    "  schedule:",
    '    - cron: "17 6 * * 1"',
    "  workflow_dispatch:",
    "",
    "permissions:",
    "  contents: write # push the update branches",
    "  pull-requests: write # open or refresh the pull requests",
    "",
    "concurrency:",
    "  group: template-update",
    "  cancel-in-progress: false",
    "",
    "jobs:",
    "  update:",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 30",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          fetch-depth: 0 # the update finds its base in the repository's history",
    "      - uses: actions/setup-node@v4",
    "        with:",
    `          node-version: ${latestNodeVersion}`,
    "      - name: The newest create-middleware version the packages record",
    "        id: recorded",
    "        run: |",
    "          node -e '",
    ...newestVersion.map((line) => `            ${line}`),
    `          ' >> "$GITHUB_OUTPUT"`,
    "      - name: Update the packages on a branch per pack version and open or refresh the pull requests",
    "        env:",
    "          GH_TOKEN: ${{ github.token }}",
    "          CREATE_MIDDLEWARE_VERSION: ${{ steps.recorded.outputs.version }}",
    '        run: npx --yes "create-middleware-package@$CREATE_MIDDLEWARE_VERSION" update --pull-request --all',
    "",
  ].join("\n");
}

const DEPENDABOT_HEADER = "# Weekly pull requests for outdated dependencies and GitHub Actions, for the whole repository.\nversion: 2\nupdates:\n";

/** One `updates` entry, its dash at `indent` spaces (the file's own indentation when it has entries). */
function dependabotEntry(ecosystem: string, indent = 2): string {
  const pad = " ".repeat(indent);
  return `${pad}- package-ecosystem: ${ecosystem}\n${pad}  directory: /\n${pad}  schedule:\n${pad}    interval: weekly\n`;
}

/** The ecosystems the root's dependabot.yml must cover: the manager's (one entry at / covers every member) and Actions. */
function ecosystems(manager: PackageManager): string[] {
  return [manager === "bun" ? "bun" : "npm", "github-actions"];
}

/** dependabot.yml with the entries it lacks added at the end of `updates`; its own lines untouched. */
export async function mergeDependabot(before: Buffer | undefined, manager: PackageManager): Promise<{ after: Buffer; conflict?: string }> {
  if (before === undefined) {
    return {
      after: Buffer.from(
        DEPENDABOT_HEADER +
          ecosystems(manager)
            .map((ecosystem) => dependabotEntry(ecosystem))
            .join(""),
        "utf8",
      ),
    };
  }
  const text = before.toString("utf8");
  const { parseDocument } = await import("yaml");
  const document = parseDocument(text);
  const parsed: unknown = document.errors.length === 0 ? document.toJS() : undefined;
  // `updates:` with nothing under it yet is an empty list.
  const updates: unknown =
    parsed !== null && typeof parsed === "object" && "updates" in parsed ? ((parsed as { updates: unknown }).updates ?? []) : undefined;
  if (!Array.isArray(updates)) {
    return { after: before, conflict: "it does not parse as a dependabot file with an `updates` list; add the entries by hand" };
  }
  const covered = new Set(
    updates
      .filter(
        (entry): entry is { "package-ecosystem": string; directory?: string; directories?: string[] } => entry !== null && typeof entry === "object",
      )
      .filter((entry) => entry.directory === "/" || entry.directories?.includes("/"))
      .map((entry) => entry["package-ecosystem"]),
  );
  const missing = ecosystems(manager).filter((ecosystem) => !covered.has(ecosystem));
  if (missing.length === 0) return { after: before };
  // Appended as text only when `updates` is the file's last block and written in block style, so every
  // existing line stays byte for byte; any other layout is left to the user.
  const lines = text.replace(/\n+$/, "").split("\n");
  const start = lines.findIndex((line) => /^updates:\s*(#.*)?$/.test(line));
  const rest = lines.slice(start + 1);
  if (start === -1 || rest.some((line) => /^[^\s#-]/.test(line))) {
    return { after: before, conflict: `\`updates\` is not its last block; add ${missing.join(" and ")} entries at directory / by hand` };
  }
  const indent = rest.map((line) => /^( *)- /.exec(line)?.[1]?.length).find((length) => length !== undefined) ?? 2;
  return { after: Buffer.from(`${text.replace(/\n*$/, "\n")}${missing.map((ecosystem) => dependabotEntry(ecosystem, indent)).join("")}`, "utf8") };
}
