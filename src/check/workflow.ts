/**
 * The GitHub Actions workflow `template init` puts into a new pack (`.github/workflows/check.yml`): on every
 * push and pull request, the snapshot check (seconds), then the full check spread over a job matrix of
 * shards x Node versions. Every job runs the create-middleware version the pack's manifest asks for
 * (`engines["create-middleware"]` in pack.json, read when the job runs, so raising it there is all an
 * upgrade takes; the newest release without a pack.json). On a published release, once the check passed,
 * it runs the template-update workflow of every repository pack.json lists in `dependents` (docs/packs.md),
 * with a token the team adds as a secret; without the secret that job does nothing. Pure.
 */
import packageJson from "../../package.json" with { type: "json" };
import { NODE_VERSIONS } from "../tables/node-lines.js";

/** The npm package the workflow runs (the command inside it is create-middleware). */
const PACKAGE_NAME: string = packageJson.name;

/** Where `template init` writes the workflow, relative to the pack's root. */
export const PACK_WORKFLOW_PATH = ".github/workflows/check.yml";

/** The secret holding the token that may run the dependents' workflows (docs/packs.md, "dependents"). */
const DISPATCH_TOKEN_SECRET = "TEMPLATE_UPDATE_DISPATCH_TOKEN";

/** Where a pack keeps its snapshots, relative to its root. */
export const PACK_SNAPSHOT_FOLDER = "snapshots";

export interface PackWorkflowOptions {
  /** How many shards the full check is split into per Node version. */
  shards?: number;
  nodeVersions?: readonly number[];
}

export function packWorkflow(options: PackWorkflowOptions = {}): string {
  const shards = Math.max(1, Math.floor(options.shards ?? 2));
  const nodeVersions = options.nodeVersions ?? NODE_VERSIONS;
  const shardList = Array.from({ length: shards }, (_, index) => index + 1).join(", ");
  const newest = Math.max(...nodeVersions);
  // One step, shared by both jobs: "<package>@<range from pack.json>" into the step's outputs.
  const versionStep = [
    "      - name: create-middleware version from pack.json",
    "        id: cli",
    "        run: |",
    // No pack.json: the newest release; a pack.json that does not parse, or a range that is not ">=x.y.z"
    // (the only form the CLI accepts), fails the step: the range is untrusted text and never reaches a shell.
    `          range=$(node -p "const r = require('fs').existsSync('pack.json') && (require('./pack.json').engines || {})['create-middleware'] || 'latest'; if (!/^(latest|>=\\s*\\d+\\.\\d+\\.\\d+)$/.test(r)) throw new Error('engines.create-middleware must be >=x.y.z'); r")`,
    `          echo "spec=${PACKAGE_NAME}@$range" >> "$GITHUB_OUTPUT"`,
  ];
  // The spec reaches the command through the environment, never pasted into the script by the
  // \${{ }} expression (which would make a crafted value shell code).
  const specEnvironment = ["        env:", "          SPEC: ${{ steps.cli.outputs.spec }}"];
  return [
    "# Checks this template pack: the snapshot check on every push (seconds: renders every combination and",
    `# compares it with ${PACK_SNAPSHOT_FOLDER}/), then the full check (install, typecheck, lint, build, test, packaging),`,
    "# split into shards on every supported Node version.",
    "# After an intended template change, update the snapshots and commit them with the change:",
    `#   npx ${PACKAGE_NAME} check --template . --snapshot ${PACK_SNAPSHOT_FOLDER} --update`,
    "name: Check templates",
    "",
    "on:",
    "  push:",
    "  pull_request:",
    "  release:",
    "    types: [published]",
    "",
    "permissions:",
    "  contents: read",
    "",
    "jobs:",
    "  snapshot:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v7",
    "      - uses: actions/setup-node@v7",
    "        with:",
    `          node-version: ${newest}`,
    ...versionStep,
    `      - run: npx --yes "$SPEC" check --template . --snapshot ${PACK_SNAPSHOT_FOLDER}`,
    ...specEnvironment,
    "",
    "  check:",
    "    needs: snapshot",
    "    runs-on: ubuntu-latest",
    "    strategy:",
    "      fail-fast: false",
    "      matrix:",
    `        node: [${nodeVersions.join(", ")}]`,
    `        shard: [${shardList}]`,
    `    name: check (Node \${{ matrix.node }}, shard \${{ matrix.shard }}/${shards})`,
    "    steps:",
    "      - uses: actions/checkout@v7",
    "      - uses: actions/setup-node@v7",
    "        with:",
    "          node-version: ${{ matrix.node }}",
    ...versionStep,
    `      - run: npx --yes "$SPEC" check --template . --shard "$SHARD/${shards}"`,
    ...specEnvironment,
    "          SHARD: ${{ matrix.shard }}",
    "",
    ...dependentsJob(newest),
  ].join("\n");
}

/**
 * On a published release, after the check passed: `gh workflow run template-update.yml` in every repository
 * pack.json's `dependents` lists, so they get the new version's pull request now rather than on Monday. The
 * list is read when the job runs and checked again there (untrusted text never reaches the shell as code).
 */
function dependentsJob(newest: number): string[] {
  // Run by node -e inside single quotes: no single quote in it.
  const list = [
    'const fs = require("node:fs");',
    'const manifest = fs.existsSync("pack.json") ? JSON.parse(fs.readFileSync("pack.json", "utf8")) : {};',
    "const list = manifest.dependents || [];",
    // The manifest's rule (manifest.ts): a name of dots (acme/..) is no repository.
    String.raw`const valid = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;`,
    'if (!Array.isArray(list) || !list.every((repo) => typeof repo === "string" && valid.test(repo))) throw new Error("pack.json: dependents must list GitHub repositories like acme/payments-logger");',
    String.raw`console.log(list.join("\n"));`,
  ];
  return [
    "  dependents:",
    "    name: Run the dependents' template-update workflows",
    "    needs: check",
    "    if: github.event_name == 'release'",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v7",
    "      - uses: actions/setup-node@v7",
    "        with:",
    `          node-version: ${newest}`,
    "      - name: template-update.yml in every repository pack.json lists in dependents",
    "        run: |",
    `          if [ -z "$GH_TOKEN" ]; then echo "::notice::No ${DISPATCH_TOKEN_SECRET} secret: the dependents update on their own schedule."; exit 0; fi`,
    "          repos=$(node -e '",
    ...list.map((line) => `            ${line}`),
    "          ')",
    "          failed=0",
    "          while IFS= read -r repo; do",
    '            [ -n "$repo" ] || continue',
    '            if gh workflow run template-update.yml --repo "$repo"; then echo "Ran template-update.yml in $repo."',
    '            else echo "::error::Could not run template-update.yml in $repo: does it have the workflow, and may the token run its Actions?"; failed=1; fi',
    '          done <<< "$repos"',
    '          exit "$failed"',
    "        env:",
    `          GH_TOKEN: \${{ secrets.${DISPATCH_TOKEN_SECRET} }}`,
    "",
  ];
}
