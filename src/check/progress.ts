/**
 * Progress while a check runs, on stderr: on a TTY one live line with the elapsed time and what runs now;
 * elsewhere a plain line per finished step (CI logs).
 */
import { formatDuration, type Palette } from "../system/output.js";
import type { InstallResult, StepResult } from "./report.js";
import type { OutputStream } from "../system/standard-streams.js";

export interface CheckProgress {
  phase(label: string): void;
  started(combination: string, step: string): void;
  finished(combination: string, result: StepResult): void;
  installed(result: InstallResult): void;
  /** Clears the live line; call before printing anything else. */
  stop(): void;
}

type Stream = OutputStream;

function statusWord(status: string, colors: Palette): string {
  return status === "pass" ? colors.green("pass") : status === "fail" ? colors.red("FAIL") : colors.dim("skip");
}

export function createCheckProgress(stream: Stream, colors: Palette, totalSteps: number): CheckProgress {
  const started = performance.now();
  const running = new Map<string, string>();
  let phase = "";
  let done = 0;

  if (!stream.isTTY) {
    return {
      phase: (label) => stream.write(`check: ${label}\n`),
      started: () => {},
      finished: (combination, result) => {
        done += 1;
        const message = result.status === "pass" ? "" : `  ${result.message ?? ""}`;
        stream.write(`check: ${combination} ${result.name} ${statusWord(result.status, colors)} ${formatDuration(result.durationMs)}${message}\n`);
      },
      installed: (result) => stream.write(`check: install ${statusWord(result.status, colors)} ${formatDuration(result.durationMs)}\n`),
      stop: () => {},
    };
  }

  const draw = () => {
    const elapsed = formatDuration(performance.now() - started).padStart(6);
    const now = [...running].map(([combination, step]) => `${combination} ${step}`).join(", ");
    const counter = totalSteps > 0 && done > 0 ? ` ${done}/${totalSteps} steps` : "";
    const text = `${phase}${counter}${now ? ` · ${now}` : ""}`;
    const room = Math.max(10, (stream.columns || 100) - elapsed.length - 2);
    stream.write(`\r\u001b[2K${colors.cyan(elapsed)} ${text.length > room ? `${text.slice(0, room - 1)}…` : text}`);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    phase: (label) => {
      phase = label;
      draw();
    },
    started: (combination, step) => {
      running.set(combination, step);
      draw();
    },
    finished: (combination, result) => {
      done += 1;
      running.delete(combination);
      if (result.status === "fail") {
        stream.write(`\r\u001b[2K${colors.red("✗")} ${combination} ${result.name}: ${result.message ?? "failed"}\n`);
      }
      draw();
    },
    installed: (result) => {
      stream.write(`\r\u001b[2K${statusWord(result.status, colors)} install ${formatDuration(result.durationMs)}\n`);
      draw();
    },
    stop: () => {
      clearInterval(timer);
      stream.write("\r\u001b[2K");
    },
  };
}
