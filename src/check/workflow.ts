/**
 * The GitHub Actions workflow `template init` puts into a new pack (`.github/workflows/check.yml`): on every
 * push and pull request, the snapshot check (seconds), then the full check spread over a job matrix of
 * shards x Node versions. Every job runs the create-middleware version the pack's manifest asks for
 * (`engines["create-middleware"]` in pack.json, read when the job runs, so raising it there is all an
 * upgrade takes; the newest release without a pack.json). Pure.
 */
import packageJson from "../../package.json" with { type: "json" };
import { NODE_VERSIONS } from "../tables/node-lines.js";

/** The npm package the workflow runs (the command inside it is create-middleware). */
const PACKAGE_NAME: string = packageJson.name;

/** Where `template init` writes the workflow, relative to the pack's root. */
export const PACK_WORKFLOW_PATH = ".github/workflows/check.yml";

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
    `# compares it with ${PACK_SNAPSHOT_FOLDER}/), then the full check (install, typecheck, build, test, packaging),`,
    "# split into shards on every supported Node version.",
    "# After an intended template change, update the snapshots and commit them with the change:",
    `#   npx ${PACKAGE_NAME} check --template . --snapshot ${PACK_SNAPSHOT_FOLDER} --update`,
    "name: Check templates",
    "",
    "on:",
    "  push:",
    "  pull_request:",
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
  ].join("\n");
}
