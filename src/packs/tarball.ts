/**
 * Reads a tar archive (gzipped or not: an npm tarball, a `.tgz` a team built, `git archive` output) entirely
 * in memory and checks every entry before anything is written:
 * - only regular files and folders; a symbolic link, hard link, device or FIFO refuses the whole archive;
 * - every path stays inside the archive's root: no absolute path, no `..`, no backslash, no NUL;
 * - bounded: at most MAX_BYTES unpacked and MAX_ENTRIES entries, so a small archive cannot fill the disk.
 * A single top folder shared by every entry (npm's `package/`) is stripped. Writing happens only through
 * `extractTarball`, into a fresh folder that is renamed into place, so a refused archive leaves nothing.
 *
 * Its own reader rather than a library: the format is small (ustar, pax and GNU long names cover npm, git
 * and GNU tar), and reading everything before writing anything is exactly what a library makes awkward.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { TARGETS } from "../tables/targets.js";

export const MAX_BYTES = 64 * 1024 * 1024;
export const MAX_ENTRIES = 10_000;
/** The most tar bytes MAX_BYTES of content in MAX_ENTRIES entries can take (a header and padding each). */
export const MAX_ARCHIVE_BYTES = MAX_BYTES + MAX_ENTRIES * 512 * 2;

export class UnsafeArchiveError extends Error {
  override name = "UnsafeArchiveError";
}

export interface ArchiveEntry {
  /** Forward slashes, relative to the pack root (the shared top folder removed). */
  path: string;
  type: "file" | "directory";
  contents: Buffer;
  /** A file whose mode has an executable bit; no other bit of an archive's modes is kept. */
  executable?: boolean;
}

const BLOCK = 512;
const PACK_TOP_LEVEL = new Set(["base", ...TARGETS, "schemas", "starters", "pack.json"]);

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number): number {
  // GNU base-256 for large values: the high bit of the first byte is set.
  if ((block[start]! & 0x80) !== 0) {
    let value = 0;
    for (let index = start + 1; index < start + length; index++) value = value * 256 + block[index]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  // parseInt would read "12x" as 10 and "zz" as NaN (which silently ended the archive there): refuse both.
  if (!/^[0-7]*$/.test(digits)) throw new Error(`it is not a valid tar archive (the number field "${digits.slice(0, 12)}" is not octal)`);
  return digits === "" ? 0 : parseInt(digits, 8);
}

function checksumMatches(block: Buffer): boolean {
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : block[index]!;
  return sum === octal(block, 148, 8);
}

/** pax extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString("utf8"));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals !== -1) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

const TYPE_NAMES: Record<string, string> = {
  "1": "a hard link",
  "2": "a symbolic link",
  "3": "a character device",
  "4": "a block device",
  "6": "a FIFO",
};

function safePath(raw: string): string {
  const cleaned = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  // `tar czf p.tgz -C pack .` names the root itself "./" (or "."): it is the archive's root, not an escape.
  if ((cleaned === "" || cleaned === ".") && /^(\.\/?)+$/.test(raw)) return "";
  const segments = cleaned.split("/");
  if (
    raw.startsWith("/") ||
    /^[a-zA-Z]:/.test(raw) ||
    raw.includes("\\") ||
    raw.includes("\0") ||
    segments.some((segment) => segment === ".." || segment === "")
  ) {
    throw new UnsafeArchiveError(`the entry "${raw}" would land outside the pack's folder`);
  }
  return cleaned;
}

/** Every entry of the archive, checked; throws UnsafeArchiveError (or a plain Error for a corrupt file). */
export function readArchive(archive: Buffer): ArchiveEntry[] {
  let data = archive;
  if (archive[0] === 0x1f && archive[1] === 0x8b) {
    try {
      data = gunzipSync(archive, { maxOutputLength: MAX_ARCHIVE_BYTES });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE") throw new UnsafeArchiveError(`it unpacks to more than ${MAX_BYTES / 1024 / 1024} MB`);
      throw new Error(`it is not a valid gzip file (${(error as Error).message})`);
    }
  }
  const entries: ArchiveEntry[] = [];
  let total = 0;
  let offset = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  const seen = new Set<string>();
  while (offset + BLOCK <= data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) throw new Error(`it is not a valid tar archive (bad header at byte ${offset})`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!) || "0";
    const body = data.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length < size) throw new Error("it is truncated");
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;

    if (type === "x") {
      pax = paxRecords(body);
      continue;
    }
    if (type === "g") continue; // global pax header (git archive writes its commit there)
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    pax = {};
    longName = undefined;

    const forbidden = TYPE_NAMES[type] ?? (type === "K" ? "a link" : undefined);
    if (forbidden) throw new UnsafeArchiveError(`"${name}" is ${forbidden}; a pack may hold only files and folders`);
    const isDirectory = type === "5";
    if (!isDirectory && type !== "0" && type !== "\0" && type !== "7") {
      throw new UnsafeArchiveError(`"${name}" has the unsupported entry type "${type}"`);
    }
    const relative = safePath(name);
    if (relative === "") continue; // the archive's root itself ("./")
    if (seen.has(relative) && !isDirectory) throw new UnsafeArchiveError(`"${relative}" appears twice`);
    seen.add(relative);
    total += size;
    if (total > MAX_BYTES) throw new UnsafeArchiveError(`it unpacks to more than ${MAX_BYTES / 1024 / 1024} MB`);
    if (entries.length >= MAX_ENTRIES) throw new UnsafeArchiveError(`it has more than ${MAX_ENTRIES} entries`);
    const executable = !isDirectory && (octal(header, 100, 8) & 0o111) !== 0;
    entries.push({
      path: relative,
      type: isDirectory ? "directory" : "file",
      contents: isDirectory ? Buffer.alloc(0) : Buffer.from(body),
      ...(executable ? { executable } : {}),
    });
  }
  // A path that is a file in one entry and a folder in another (`a` and `a/b`) cannot be unpacked.
  const filePaths = new Set(entries.filter((entry) => entry.type === "file").map((entry) => entry.path));
  for (const entry of entries) {
    const parts = entry.path.split("/");
    for (let length = 1; length <= parts.length; length++) {
      const prefix = parts.slice(0, length).join("/");
      if (filePaths.has(prefix) && (length < parts.length || entry.type === "directory")) {
        throw new UnsafeArchiveError(`"${prefix}" is both a file and a folder`);
      }
    }
  }
  return stripTopFolder(entries);
}

/** npm packs into `package/`, many tools into `<name>/`: a single shared top folder is not part of the pack. */
function stripTopFolder(entries: ArchiveEntry[]): ArchiveEntry[] {
  const tops = new Set(entries.map((entry) => entry.path.split("/")[0]!));
  if (tops.size !== 1) return entries;
  const [top] = tops;
  if (PACK_TOP_LEVEL.has(top!) || !entries.some((entry) => entry.path.startsWith(`${top}/`))) return entries;
  return entries.filter((entry) => entry.path !== top).map((entry) => ({ ...entry, path: entry.path.slice(top!.length + 1) }));
}

/**
 * Writes checked entries into `destination`, which must not exist: through a temporary sibling renamed
 * into place, so a failure leaves nothing.
 */
export function writeEntries(entries: readonly ArchiveEntry[], destination: string): void {
  const staging = `${destination}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // Private, like the rest of the pack cache (cache.ts): folders 0700, files 0600.
  mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
  mkdirSync(staging, { mode: 0o700 });
  try {
    for (const entry of entries) {
      const target = path.join(staging, ...entry.path.split("/"));
      if (entry.type === "directory") mkdirSync(target, { recursive: true, mode: 0o700 });
      else {
        mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        // "wx": two entries with the same path (allowed by tar) must not silently replace each other.
        // An executable file stays executable (for the owner only: the cache is private), so a fetched pack
        // keeps the one bit of its modes that the package gets (pack-tree.ts).
        writeFileSync(target, entry.contents, { flag: "wx", mode: entry.executable ? 0o700 : 0o600 });
      }
    }
    renameSync(staging, destination);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
