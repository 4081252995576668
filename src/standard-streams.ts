/**
 * The process's standard output and error as the CLI writes to them: the one module that touches
 * process.stdout and process.stderr.
 *
 * When a stream is certainly not a terminal (a file, a pipe, a socket, /dev/null: what CI logs and scripts
 * give us) and nothing asks for colours (FORCE_COLOR), lines are written straight to the file descriptor
 * with writeSync. Creating process.stdout loads Node's whole stream stack, about 2.5 ms of a scaffold that
 * prints ten lines. Writes are synchronous either way, and in order. On a terminal, or with FORCE_COLOR, it
 * is Node's stream, so colours and prompts work as Node decides.
 *
 * Either way, a reader that goes away (`create-middleware ... | head -1`, `2>&1 >/dev/null | true`) never
 * crashes the run or changes its exit code: what is left to print is dropped and the work goes on.
 */
import { fstatSync, statSync, writeSync } from "node:fs";

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
 * Whoever reaches process.stdout or process.stderr first (console.error, a library, Node's own warnings)
 * gets the stream with the EPIPE rule too, without creating either stream before it is needed: Node defines
 * them as lazy getters, and this wraps each getter once.
 */
export function guardStandardStreams(): void {
  for (const name of ["stdout", "stderr"] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const getter = descriptor?.get;
    if (!getter || !descriptor.configurable) continue;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get: () => dropEpipe(getter.call(process) as NodeJS.WriteStream),
    });
  }
}

/** A file, a pipe, a socket or /dev/null: fstat says so without loading the tty module. */
function certainlyNotATerminal(fd: Descriptor): boolean {
  if (process.platform === "win32") return false;
  try {
    const stats = fstatSync(fd);
    if (stats.isFile() || stats.isFIFO() || stats.isSocket()) return true;
    return stats.isCharacterDevice() && stats.rdev === statSync("/dev/null").rdev;
  } catch {
    return false; // closed or unusual: Node's stream decides
  }
}

/** Lines written with writeSync; EPIPE ends the output, EAGAIN (a non-blocking pipe that is full) hands over to Node's stream. */
class DescriptorOutput implements OutputStream {
  readonly isTTY = false;
  private closed = false;
  private handedOver: NodeJS.WriteStream | undefined;

  constructor(private readonly fd: Descriptor) {}

  write(text: string): boolean {
    if (this.handedOver) return this.handedOver.write(text);
    if (this.closed) return false;
    const bytes = Buffer.from(text, "utf8");
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        this.closed = true;
        return false;
      }
      if (code !== "EAGAIN") throw error;
      this.handedOver = nodeStream(this.fd);
      return this.handedOver.write(bytes.subarray(offset));
    }
  }
}

const outputs = new Map<Descriptor, OutputStream>();

function output(fd: Descriptor): OutputStream {
  let stream = outputs.get(fd);
  if (!stream) {
    stream = process.env.FORCE_COLOR === undefined && certainlyNotATerminal(fd) ? new DescriptorOutput(fd) : nodeStream(fd);
    outputs.set(fd, stream);
  }
  return stream;
}

export const standardOutput = () => output(1);
export const standardError = () => output(2);

/** Whether `stream` is one of Node's streams (which util.styleText can judge for colours). */
export const isNodeStream = (stream: OutputStream): stream is NodeJS.WriteStream => !(stream instanceof DescriptorOutput);
