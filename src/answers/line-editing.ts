/**
 * Shell line editing for the text prompts. `prompts` inserts Ctrl-U and Ctrl-W as invisible control
 * characters (which a validator then refuses), ignores Home and End, moves its cursor for Ctrl-A/Ctrl-E
 * without showing it, and ends the whole run on Esc. Its text prompt, extended here:
 *
 * - Ctrl-U kills to the start of the line, Ctrl-K to its end, Ctrl-W the word before the cursor;
 * - Ctrl-A / Home and Ctrl-E / End move to the start and end (and the terminal's cursor with them);
 * - Esc clears the line (Ctrl-C still cancels); any other control key inserts nothing.
 *
 * Loaded with `prompts` only when a question is really asked (prompts.ts).
 */
import type { Key } from "prompts/lib/elements/text.js";

type PromptsModule = typeof import("prompts");
type TextArguments = { onState?: (state: unknown) => void } & Record<string, unknown>;

/** What is left of `before` (the text up to the cursor) once Ctrl-W kills the word behind the cursor, blanks after it included. */
export function killWordBefore(before: string): string {
  return before.replace(/\S*\s*$/u, "");
}

const installed = new WeakSet<object>();

/** Makes `prompts`' "text" questions edit like a shell line; once per module instance. */
export async function installLineEditing(prompts: PromptsModule): Promise<void> {
  const registry = (prompts as unknown as { prompts: Record<string, (args: TextArguments) => Promise<unknown>> }).prompts;
  if (installed.has(registry)) return;
  const { default: TextPrompt } = await import("prompts/lib/elements/text.js");

  class LineEditingTextPrompt extends TextPrompt {
    override _(character: string | undefined, key: Key | undefined): void {
      if (key?.ctrl && key.name === "u") return this.edit(this.value.slice(this.cursor), 0);
      if (key?.ctrl && key.name === "k") return this.edit(this.value.slice(0, this.cursor), this.cursor);
      if (key?.ctrl && key.name === "w") {
        const kept = killWordBefore(this.value.slice(0, this.cursor));
        return this.edit(kept + this.value.slice(this.cursor), kept.length);
      }
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
      if (character === undefined || /[\u0000-\u001f\u007f-\u009f]/u.test(character)) return this.bell();
      super._(character, key);
    }

    home(): void {
      this.first();
    }

    end(): void {
      this.last();
    }

    override first(): void {
      if (this.placeholder) return this.bell();
      this.moveTo(0);
    }

    override last(): void {
      if (this.placeholder) return this.bell();
      this.moveTo(this.value.length);
    }

    /** Esc: a fresh start on this question rather than the end of the run. */
    override exit(): void {
      this.reset();
    }

    /** The line becomes `value` with the cursor at `cursor`, the terminal's cursor shown there. */
    private edit(value: string, cursor: number): void {
      if (this.placeholder) return this.bell();
      this.value = value;
      this.red = false;
      if (value === "") {
        // As prompts starts an empty line: the default shown greyed, the cursor after it.
        this.cursor = Number(Boolean(this.initial));
        this.cursorOffset = 0;
        this.render();
        return;
      }
      this.moveTo(cursor);
    }

    private moveTo(cursor: number): void {
      this.cursor = cursor;
      // prompts draws the line, then moves the terminal's cursor by cursorOffset (<= 0) from its end.
      this.cursorOffset = cursor - this.value.length;
      this.render();
    }
  }

  registry.text = (args: TextArguments) =>
    new Promise((resolve, reject) => {
      const prompt = new LineEditingTextPrompt(args);
      prompt.on("state", args.onState ?? (() => undefined));
      prompt.on("submit", resolve);
      prompt.on("exit", resolve);
      prompt.on("abort", reject);
    });
  installed.add(registry);
}
