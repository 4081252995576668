/**
 * Progress for long work (install): on a TTY one line redrawn with a spinner and the elapsed seconds;
 * elsewhere a start line and, from the caller, an end line. Colour comes from the palette passed in, so
 * NO_COLOR and non-TTY rules stay in output.ts.
 */
import { palette, type Palette } from "./output.js";
import type { OutputStream } from "./standard-streams.js";

export interface ProgressOptions {
  stream: OutputStream;
  /** Redraw a spinner line; defaults to whether the stream is a TTY. */
  interactive?: boolean;
  colors?: Palette;
  /** Milliseconds between redraws. */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** Milliseconds since the start. */
  elapsed(): number;
  /** Stops the spinner, clears its line and writes `line` (if any) in its place. Safe to call twice. */
  stop(line?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ASCII_FRAMES = ["-", "\\", "|", "/"];
const CLEAR_LINE = "\r\u001b[2K";

/** Starts showing `label` ("Installing dependencies with npm") as in progress. */
export function startProgress(label: string, options: ProgressOptions): Progress {
  const { stream } = options;
  const now = options.now ?? (() => performance.now());
  const colors = options.colors ?? palette();
  const interactive = options.interactive ?? Boolean(stream.isTTY);
  const started = now();
  const elapsed = () => now() - started;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  if (interactive) {
    const frames = process.platform === "win32" && !process.env.WT_SESSION ? ASCII_FRAMES : FRAMES;
    let frame = 0;
    const draw = () => {
      const seconds = `${(elapsed() / 1000).toFixed(1)}s`;
      stream.write(`${CLEAR_LINE}${colors.cyan(frames[frame % frames.length] ?? "-")} ${label}... ${colors.dim(seconds)}`);
      frame += 1;
    };
    draw();
    timer = setInterval(draw, options.intervalMs ?? 100);
    timer.unref();
  } else {
    stream.write(`${label}...\n`);
  }

  return {
    elapsed,
    stop(line) {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      if (interactive) stream.write(CLEAR_LINE);
      if (line !== undefined) stream.write(`${line}\n`);
    },
  };
}
