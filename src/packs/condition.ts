/**
 * A question's `when` (docs/packs.md), evaluated against the answers so far: pack answers and the package's
 * target, schema and starter. Checked for shape in manifest.ts; here only evaluated.
 */
/** A question's `when`: a condition as data, never code (docs/packs.md). */
export type Condition =
  | { var: string; equals: unknown }
  | { var: string; in: unknown[] }
  | { var: string; includes: unknown }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function evaluateCondition(condition: Condition, facts: Readonly<Record<string, unknown>>): boolean {
  if ("not" in condition) return !evaluateCondition(condition.not, facts);
  if ("all" in condition) return condition.all.every((item) => evaluateCondition(item, facts));
  if ("any" in condition) return condition.any.some((item) => evaluateCondition(item, facts));
  const value = facts[condition.var];
  if ("equals" in condition) return same(value, condition.equals);
  if ("in" in condition) return condition.in.some((item) => same(value, item));
  return Array.isArray(value) && value.some((item) => same(item, condition.includes));
}
