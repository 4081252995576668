/**
 * Which packages a check renders. A combination is a target, a schema and a starter. By default, per
 * target, a covering matrix: every starter and every schema at least once, in max(starters, schemas)
 * packages, the i-th pairing the i-th starter with the i-th schema (the shorter list starting over), so CI
 * stays short. `all` gives the full product. --target / --schema / --starter narrow either (repeatable or
 * comma-separated). Pure.
 */
import { UsageError } from "../errors.js";
import { SCHEMAS, parseSchema, type Schema } from "../tables/schemas.js";
import { STARTERS, parseStarterName, startersFor, type PackStarters } from "../tables/starters.js";
import { DEFAULT_TARGET, TARGETS, parseTarget, type Target } from "../tables/targets.js";

export interface Combination {
  /** How reports name it: "express+zod+logger", "socket.io+none+auth". */
  id: string;
  target: Target;
  schema: Schema;
  /** A built-in starter or a team pack's own. */
  starter: string;
  /** Folder under packages/ in the workspace: "express-zod-logger", "socketio-none-auth". */
  slug: string;
  /** A unique npm name inside the workspace: "check-express-zod-logger". */
  packageName: string;
}

export interface StarterSelection {
  /** Only these starters (each for the targets that have it). */
  starters?: readonly string[];
  /** Every target x schema x starter, instead of the covering matrix. */
  all?: boolean;
  /** A team pack's own starters, checked like the built-in ones. */
  packStarters?: PackStarters;
}

/** ["express,sio", " zod "] -> ["express", "sio", "zod"]. */
export function splitList(values: readonly string[] | string | undefined): string[] {
  const list = values === undefined ? [] : typeof values === "string" ? [values] : values;
  return list
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

/** Parsed and deduplicated, in the canonical order of `all`; every value when none is given. */
function select<T extends string>(values: readonly string[], all: readonly T[], parse: (value: string) => T): T[] {
  if (values.length === 0) return [...all];
  const chosen = new Set(values.map(parse));
  return all.filter((value) => chosen.has(value));
}

export function combination(target: Target, schema: Schema, starter: string): Combination {
  const slug = `${target.replace(/[^a-z0-9]/g, "")}-${schema}-${starter}`;
  return { id: `${target}+${schema}+${starter}`, target, schema, starter, slug, packageName: `check-${slug}` };
}

export function selectCombinations(
  targetValues: readonly string[] = [],
  schemaValues: readonly string[] = [],
  selection: StarterSelection = {},
): Combination[] {
  const targets = select(targetValues, TARGETS, parseTarget);
  const schemas = select(schemaValues, SCHEMAS, parseSchema);
  const extra = selection.packStarters;
  const allStarters = [...STARTERS, ...new Set(Object.values(extra ?? {}).flat())];
  const starters = select(selection.starters ?? [], allStarters, (value) => parseStarterName(value, targets[0] ?? DEFAULT_TARGET, extra));
  const perTarget = targets.map((target) => ({ target, starters: startersFor(target, extra).filter((starter) => starters.includes(starter)) }));
  if (perTarget.every((entry) => entry.starters.length === 0)) {
    const has = targets.map((target) => `${target} has ${startersFor(target, extra).join(", ")}`).join("; ");
    throw new UsageError(`No chosen target has the starter ${starters.join(", ")}: ${has}.`);
  }
  return perTarget.flatMap(({ target, starters: own }) => {
    if (selection.all) return own.flatMap((starter) => schemas.map((schema) => combination(target, schema, starter)));
    const count = own.length === 0 ? 0 : Math.max(own.length, schemas.length);
    return Array.from({ length: count }, (_, index) =>
      combination(target, schemas[index % schemas.length] as Schema, own[index % own.length] as string),
    );
  });
}
