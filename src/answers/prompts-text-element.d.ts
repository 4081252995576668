/** The text prompt element of `prompts` (no types of its own); line-editing.ts extends it. */
declare module "prompts/lib/elements/text.js" {
  import { EventEmitter } from "node:events";

  export interface Key {
    name?: string;
    ctrl?: boolean;
    meta?: boolean;
    shift?: boolean;
    sequence?: string;
  }

  class TextPrompt extends EventEmitter {
    constructor(options: object);
    value: string;
    initial: string;
    cursor: number;
    cursorOffset: number;
    placeholder: boolean;
    red: boolean;
    render(): void;
    bell(): void;
    reset(): void;
    first(): void;
    last(): void;
    exit(): void;
    _(character: string | undefined, key: Key | undefined): void;
  }
  export = TextPrompt;
}
