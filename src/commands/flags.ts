/**
 * The CLI boundary for flags. commander hands each action its option values as an untyped record; each
 * command declares the flags it takes once (name -> kind), its flags' type derives from that declaration,
 * and `readFlags` turns the record into that type, checking every value. A flag the declaration lacks, or a
 * value of another kind, is a mismatch between cli.ts and the command (commander has already refused bad
 * user input), so it is a plain Error naming both, never a silent `any`.
 */
type FlagKind = "string" | "strings" | "boolean";
type FlagSpec = Readonly<Record<string, FlagKind>>;
type ValueOf<Kind extends FlagKind> = Kind extends "string" ? string : Kind extends "strings" ? string[] : boolean;

/** The typed flags of a declaration: every flag optional (absent when not given and without a default). */
export type Flags<Spec extends FlagSpec> = { [Name in keyof Spec]?: ValueOf<Spec[Name]> };

function fits(kind: FlagKind, value: unknown): boolean {
  if (kind === "boolean") return typeof value === "boolean";
  if (kind === "string") return typeof value === "string";
  return Array.isArray(value) && value.every((entry) => typeof entry === "string");
}

/** commander's option values -> the command's typed flags; throws on a flag or a kind the declaration does not have. */
export function readFlags<Spec extends FlagSpec>(values: Readonly<Record<string, unknown>>, spec: Spec): Flags<Spec> {
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const kind = spec[name];
    if (kind === undefined)
      throw new Error(`The option "${name}" reached a command that does not declare it (src/commands/*: its flag declaration).`);
    if (!fits(kind, value))
      throw new Error(`The option "${name}" should be ${kind === "strings" ? "a list of strings" : `a ${kind}`}, not ${JSON.stringify(value)}.`);
    flags[name] = value;
  }
  return flags as Flags<Spec>;
}
