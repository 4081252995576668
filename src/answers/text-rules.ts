/**
 * What every piece of text the user gives must not contain, from flags, prompts, config and answers files
 * alike (names, the directory, the description, option specs, --var values, a pack question's text):
 * control characters (the prompt library inserts a typed Ctrl-U raw; a NUL or an escape in README.md or a
 * folder name is never meant), line and paragraph separators, and bidirectional overrides (they make code
 * and text read differently from what they are). Pure.
 */

// C0, DEL, C1; U+2028/2029; the bidirectional marks, embeddings, overrides and isolates; a lone surrogate
// (half of a UTF-16 pair: it cannot be written as UTF-8 and would become U+FFFD in the files).
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

const NAMED: Record<number, string> = {
  0: "NUL",
  8: "backspace",
  9: "tab",
  10: "line feed",
  13: "carriage return",
  27: "escape",
  127: "delete",
  133: "next line",
  8232: "line separator",
  8233: "paragraph separator",
};

/** "U+0015 (Ctrl-U)", "U+202E (a bidirectional override)". */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const name =
    NAMED[code] ??
    (code >= 0x01 && code <= 0x1a
      ? `Ctrl-${String.fromCharCode(0x40 + code)}`
      : code >= 0xd800 && code <= 0xdfff
        ? "a lone surrogate"
        : code >= 0x200e
          ? "a bidirectional control"
          : "a control character");
  return `${hex} (${name})`;
}

/** `text` quoted, with every forbidden character written as an escape, so a message never carries one raw. */
export function visible(text: string): string {
  return `"${text.replace(new RegExp(FORBIDDEN.source, "gu"), (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`).replace(/"/g, '\\"')}"`;
}

/** The first forbidden character of `text`, or undefined. */
export function forbiddenCharacter(text: string): string | undefined {
  return FORBIDDEN.exec(text)?.[0];
}

/**
 * `What` (capitalised: "The description", "The directory") and the problem, in one line; undefined when
 * the text is clean. The text itself is not repeated raw: it is what holds the control character.
 */
export function controlCharacterProblem(text: string, what: string): string | undefined {
  const char = forbiddenCharacter(text);
  if (char === undefined) return undefined;
  const position = [...text.slice(0, text.indexOf(char))].length + 1;
  return `${what} contains the control character ${describeCharacter(char)} at character ${position}: ${visible(text)}. Remove it.`;
}

const DESCRIPTION_LIMIT = 500;

/** What is wrong with a description, in one line; undefined when nothing is. */
export function descriptionProblem(description: string): string | undefined {
  return (
    controlCharacterProblem(description, "The description") ??
    (description.length > DESCRIPTION_LIMIT
      ? `The description is longer than ${DESCRIPTION_LIMIT} characters (${description.length}); keep it to a sentence or two.`
      : undefined)
  );
}
