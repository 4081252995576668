/**
 * `--shard i/n`: a stable 1/n of a list of combinations, so a CI job matrix can split one check. Pure.
 *
 * Combination k (0-based, in the matrix's canonical order) belongs to shard (k mod n) + 1. The same matrix
 * always splits the same way; shards differ in size by at most one; every combination is in exactly one
 * shard. Round-robin rather than contiguous slices, so each shard gets a mix of targets and schemas and the
 * slow ones do not all land together.
 */
import { UsageError } from "../errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** "2/3" -> { index: 2, count: 3 }. Usage error for anything else. */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`Invalid --shard "${value}": use i/n with 1 <= i <= n, e.g. --shard 1/3.`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The items of `shard`, in their original order; all of them when shard is undefined. */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
