/**
 * JSON text laid out as the generated package's Biome prints it (its JSON formatter, 2-space indent), so a
 * file the CLI writes into the package (the answers file) is one `biome check` accepts and an editor that
 * formats on save leaves alone:
 *
 * - a non-empty object always one key a line (Biome keeps an object expanded when it was written so, and
 *   this writer always writes it so); an empty one `{}`;
 * - an array on one line, `["a", "b"]`, when that line fits the width (the key before it and a comma after
 *   it counted) and it holds no non-empty object; else numbers filled line by line, anything else one
 *   element a line.
 *
 * Width is counted in code points, as Biome counts ASCII; text where Biome counts some characters as two
 * columns (CJK) or none (combining marks) may be laid out differently, which no answer the CLI records has.
 * test/unit/json-layout.test.ts compares it with Biome over many shapes and widths.
 */

/** The generated biome.jsonc's `formatter.lineWidth` (templates/base/biome.jsonc.hbs; a unit test keeps them equal). */
export const JSON_LINE_WIDTH = 120;

const width = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value on one line as Biome would print it flat, or undefined when it holds a non-empty object (always expanded). */
function flat(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = flat(item);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(", ")}]`;
  }
  if (isObject(value)) return Object.keys(value).length === 0 ? "{}" : undefined;
  return JSON.stringify(value ?? null);
}

/**
 * `value` printed at `indent`, starting at `column` of its line, with `trailing` characters after it on that
 * line (a comma).
 */
function layout(value: unknown, indent: number, column: number, trailing: number, lineWidth: number): string {
  const inner = " ".repeat(indent + 2);
  const close = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const oneLine = flat(value);
    if (oneLine !== undefined && column + width(oneLine) + trailing <= lineWidth) return oneLine;
    if (value.every((item) => typeof item === "number")) {
      // Biome fills a list of numbers: as many as fit on each line, each with its comma.
      const lines: string[] = [];
      let line = "";
      value.forEach((item, index) => {
        const text = `${JSON.stringify(item)}${index < value.length - 1 ? "," : ""}`;
        if (line === "") line = text;
        else if (indent + 2 + width(line) + 1 + width(text) <= lineWidth) line += ` ${text}`;
        else {
          lines.push(line);
          line = text;
        }
      });
      lines.push(line);
      return `[\n${lines.map((text) => inner + text).join("\n")}\n${close}]`;
    }
    const items = value.map((item, index) => {
      const comma = index < value.length - 1 ? 1 : 0;
      return `${inner}${layout(item, indent + 2, indent + 2, comma, lineWidth)}${comma ? "," : ""}`;
    });
    return `[\n${items.join("\n")}\n${close}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([key, item], index) => {
      const comma = index < entries.length - 1 ? 1 : 0;
      const start = `${inner}${JSON.stringify(key)}: `;
      return `${start}${layout(item, indent + 2, width(start), comma, lineWidth)}${comma ? "," : ""}`;
    });
    return `{\n${lines.join("\n")}\n${close}}`;
  }
  return JSON.stringify(value ?? null);
}

/** `JSON.stringify(value, null, 2)` as Biome formats it, with a trailing newline. */
export function biomeJson(value: unknown, lineWidth = JSON_LINE_WIDTH): string {
  return `${layout(JSON.parse(JSON.stringify(value)), 0, 0, 0, lineWidth)}\n`;
}
