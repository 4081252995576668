/**
 * Human output: colours only on a TTY and never with NO_COLOR. With --json, human messages
 * go to stderr so stdout holds nothing but the JSON document.
 */
import type { Writable } from "node:stream";

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export function colorsEnabled(stream: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb";
}

export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

export interface Reporter {
  readonly stream: Writable & { isTTY?: boolean };
  readonly colors: Palette;
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
}

export function createReporter(stream: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Reporter {
  const colors = palette(colorsEnabled(stream, env));
  const line = (text: string) => stream.write(`${text}\n`);
  return {
    stream,
    colors,
    info: line,
    warn: (message) => line(colors.yellow(`warning: ${message}`)),
    success: (message) => line(colors.green(message)),
  };
}

/** "1.2s" / "340ms": durations as people read them. */
export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)}ms` : `${(milliseconds / 1000).toFixed(1)}s`;
}
