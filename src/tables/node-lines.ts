/**
 * The Node.js lines generated packages support: one row per line, oldest first. The generated CI matrix,
 * package.json `engines`, the pack workflow `template init` writes, and this repository's own CI (a unit
 * test holds it to this table) all follow it, so dropping or adding a line is one row here.
 * Dates from the Node.js release schedule (github.com/nodejs/Release).
 */
export interface NodeLine {
  major: number;
  /** First release of the line (ISO date). */
  released: string;
  /** End of life: no fixes after this date (ISO date). */
  endOfLife: string;
  /**
   * The oldest release of the line a generated package works on; only the oldest line's counts (engines).
   * 22.12: `require(esm)` without a flag, which index.cts relies on, and the test-coverage options.
   */
  since: string;
}

export const NODE_LINES: readonly NodeLine[] = [
  { major: 22, released: "2024-04-24", endOfLife: "2027-04-30", since: "22.12" },
  { major: 24, released: "2025-05-06", endOfLife: "2028-04-30", since: "24.0" },
  { major: 26, released: "2026-05-05", endOfLife: "2029-04-30", since: "26.0" },
];

/** The majors the generated CI tests: [22, 24, 26]. */
export const NODE_VERSIONS: readonly number[] = NODE_LINES.map((line) => line.major);

/** The newest line: the one macOS, Windows and the package job run on. */
export const LATEST_NODE_VERSION: number = Math.max(...NODE_VERSIONS);

/** package.json `engines.node` of a generated package: from the oldest line on (">=22.12"). */
export const NODE_ENGINE = `>=${NODE_LINES[0]!.since}`;

/** The `@types/node` range matching the oldest line, so the types never offer an API it lacks. */
export const NODE_TYPES_RANGE = `^${NODE_LINES[0]!.major}.0.0`;
