/**
 * The process's standard output and error as the CLI writes to them: the one module that touches
 * process.stdout and process.stderr. They are Node's own streams, so colours, terminal width and prompts
 * work as Node decides.
 *
 * A reader that goes away (`create-middleware ... | head -1`, `2>&1 >/dev/null | true`) never crashes the
 * run or changes its exit code: what is left to print is dropped and the work goes on.
 */

/** What the CLI writes its text to. */
export interface OutputStream {
  /** True on a terminal (spinners, prompts, colours); false or absent otherwise. */
  readonly isTTY?: boolean;
  /** Terminal width, where known. */
  readonly columns?: number;
  write(text: string): unknown;
}

type Descriptor = 1 | 2;

const guarded = new WeakSet<NodeJS.WriteStream>();

/** A closed reader ends the output quietly (see the top); anything else is still an error. */
function dropEpipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!guarded.has(stream)) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    guarded.add(stream);
  }
  return stream;
}

/** process.stdout or process.stderr, with EPIPE dropped. */
export const nodeStream = (fd: Descriptor): NodeJS.WriteStream => dropEpipe(fd === 1 ? process.stdout : process.stderr);

/**
 * Puts the EPIPE rule on both streams at start-up, so whoever writes to them later (console.error, a
 * library, Node's own warnings) gets it too.
 */
export function guardStandardStreams(): void {
  nodeStream(1);
  nodeStream(2);
}

export const standardOutput = (): OutputStream => nodeStream(1);
export const standardError = (): OutputStream => nodeStream(2);

/** Whether `stream` is a Node stream (which util.styleText can judge for colours), not a bare `{ write }`. */
export const isNodeStream = (stream: OutputStream): stream is NodeJS.WriteStream => typeof (stream as Partial<NodeJS.WriteStream>).on === "function";
