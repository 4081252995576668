/**
 * Human output. Colours are Node's decision (`util.styleText` with the stream it is for): only on a TTY
 * that has colours, never with NO_COLOR or TERM=dumb, and with FORCE_COLOR (other than 0) also elsewhere.
 * With --json, human messages go to stderr so stdout holds nothing but the JSON document.
 */
import { styleText } from "node:util";
import { isNodeStream, type OutputStream } from "./standard-streams.js";

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Styles for text written to `stream`, coloured only when Node says the stream shows colours; none without
 * one (a file, a pipe: Node says no colours there unless FORCE_COLOR asks).
 */
export function palette(stream?: OutputStream): Palette {
  const style = (format: keyof Palette) =>
    stream && isNodeStream(stream) ? (text: string) => styleText(format, text, { stream }) : (text: string) => text;
  return { bold: style("bold"), dim: style("dim"), green: style("green"), red: style("red"), yellow: style("yellow"), cyan: style("cyan") };
}

export interface Reporter {
  readonly stream: OutputStream;
  readonly colors: Palette;
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
}

export function createReporter(stream: OutputStream): Reporter {
  const colors = palette(stream);
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

/** "1 file", "3 files", "1 combination": a count with its noun, singular for one. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
