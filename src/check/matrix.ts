/**
 * Which packages a check renders: every target x schema, narrowed by --target / --schema (repeatable or
 * comma-separated). Pure.
 */
import { SCHEMAS, parseSchema, type Schema } from "../schemas.js";
import { TARGETS, parseTarget, type Target } from "../targets.js";

export interface Combination {
  /** How reports name it: "express+zod", "socket.io+none". */
  id: string;
  target: Target;
  schema: Schema;
  /** Folder under packages/ in the workspace: "express-zod", "socketio-none". */
  slug: string;
  /** A unique npm name inside the workspace: "check-express-zod". */
  packageName: string;
}

/** ["express,sio", " zod "] -> ["express", "sio", "zod"]. */
export function splitList(values: readonly string[] | string | undefined): string[] {
  const list = values === undefined ? [] : typeof values === "string" ? [values] : values;
  return list.flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== "");
}

/** Parsed and deduplicated, in the canonical order of `all`; every value when none is given. */
function select<T extends string>(values: readonly string[], all: readonly T[], parse: (value: string) => T): T[] {
  if (values.length === 0) return [...all];
  const chosen = new Set(values.map(parse));
  return all.filter((value) => chosen.has(value));
}

export function combination(target: Target, schema: Schema): Combination {
  const slug = `${target.replace(/[^a-z0-9]/g, "")}-${schema}`;
  return { id: `${target}+${schema}`, target, schema, slug, packageName: `check-${slug}` };
}

export function selectCombinations(targets: readonly string[], schemas: readonly string[]): Combination[] {
  const chosenTargets = select(targets, TARGETS, parseTarget);
  const chosenSchemas = select(schemas, SCHEMAS, parseSchema);
  return chosenTargets.flatMap((target) => chosenSchemas.map((schema) => combination(target, schema)));
}
