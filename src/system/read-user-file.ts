/**
 * The one way to read a file from a user's or a pack's tree (a snapshot folder, an answers file, a team
 * config, a generated package's files, a pack tarball): such files are untrusted input, so
 * - only a regular file is read: a FIFO, socket or device (`/dev/zero`) would block the read forever or
 *   stream without end, and a blocked synchronous read ignores Ctrl-C. The open itself never blocks
 *   (O_NONBLOCK), and the type is judged on the opened descriptor (fstat), so a file swapped for a FIFO
 *   after it was listed is refused too;
 * - a size cap, judged before reading and again while reading (the file may grow): a 3 GB file is refused
 *   by name instead of exhausting memory or failing with a raw Node error;
 * - optionally no symbolic link in the last segment (O_NOFOLLOW), where a link must never be followed.
 * Every refusal is a UsageError (exit 2) naming the file and saying what to do. A missing file is not an
 * error here: the caller decides what absence means.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "../errors.js";

/** Far above any file a template renders or a config holds; far below what would strain memory. */
export const USER_FILE_LIMIT = 16 * 1024 * 1024;

export interface ReadUserFileOptions {
  /** What the file is, for messages: "The answers file", "The snapshot file". */
  what: string;
  /** Bytes; defaults to USER_FILE_LIMIT. */
  limit?: number;
  /** Refuse a symbolic link in the last segment instead of following it. */
  noLinks?: boolean;
}

/** Why a file was refused, for callers that treat some refusals differently. */
export class UserFileError extends UsageError {
  override name = "UserFileError";
  constructor(
    message: string,
    readonly file: string,
    readonly reason: "not-regular" | "too-large" | "link" | "unreadable",
  ) {
    super(message);
  }
}

const megabytes = (bytes: number) => (bytes < 1024 * 1024 ? `${bytes} bytes` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`);

// O_NOFOLLOW and O_NONBLOCK are absent on Windows (where FIFOs do not live in the file tree).
const BASE_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The file's bytes, or undefined when it does not exist (ENOENT, or a part of the path is a file).
 * Throws UserFileError (exit 2) for anything that is not a regular file within the cap.
 */
export function readUserFile(file: string, options: ReadUserFileOptions): Buffer | undefined {
  const limit = options.limit ?? USER_FILE_LIMIT;
  let fd: number;
  try {
    fd = openSync(file, BASE_FLAGS | (options.noLinks ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (options.noLinks && (code === "ELOOP" || code === "EMLINK")) {
      throw new UserFileError(
        `${options.what} ${file} is a symbolic link, which is never followed here. Replace it with the file itself.`,
        file,
        "link",
      );
    }
    throw new UserFileError(`${options.what} ${file} cannot be read (${code ?? (error as Error).message}).`, file, "unreadable");
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) {
      throw new UserFileError(`${options.what} ${file} is a folder, not a file. Remove it or replace it with a file.`, file, "not-regular");
    }
    if (!info.isFile()) {
      throw new UserFileError(
        `${options.what} ${file} is not a regular file (a pipe, socket or device), so it is not read: it could block forever. Remove it or replace it with a file.`,
        file,
        "not-regular",
      );
    }
    const tooLarge = (size: string) =>
      new UserFileError(
        `${options.what} ${file} is larger than ${megabytes(limit)} (${size}), so it is not read. Is it the right file?`,
        file,
        "too-large",
      );
    if (info.size > limit) throw tooLarge(`${info.size} bytes`);
    // Read at most limit + 1 bytes: a file that grows past the cap while read is refused, not read whole.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, limit) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > limit) throw tooLarge("it grew while it was read");
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
