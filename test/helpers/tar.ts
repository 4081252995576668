/** Builds tar archives byte by byte, including the hostile entries real tools refuse to make. */
import { gzipSync } from "node:zlib";

export interface TarEntry {
  name: string;
  /** "0" file (default), "5" folder, "2" symlink, "1" hard link, "3" device, "x" pax header. */
  type?: string;
  contents?: string | Buffer;
  linkname?: string;
  /** The mode in the header (default 0o644). */
  mode?: number;
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(entry.name.slice(0, 100), 0, "utf8");
  block.write(`${(entry.mode ?? 0o644).toString(8).padStart(7, "0")}\0`, 100);
  block.write("0000000\0", 108);
  block.write("0000000\0", 116);
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  block.write("00000000000\0", 136);
  block.write("        ", 148);
  block.write(entry.type ?? "0", 156);
  if (entry.linkname) block.write(entry.linkname, 157);
  block.write("ustar\0", 257);
  block.write("00", 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

export function makeTar(entries: readonly TarEntry[], { gzip = true } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const contents = Buffer.from(entry.contents ?? "");
    parts.push(header(entry, contents.length), contents, Buffer.alloc((512 - (contents.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return gzip ? gzipSync(tar) : tar;
}

/** A pax extended header entry setting the path of the next entry. */
export function paxPath(name: string): TarEntry {
  const record = (length: number) => `${length} path=${name}\n`;
  let length = record(0).length;
  while (record(length).length !== length) length = record(length).length;
  return { name: "PaxHeader", type: "x", contents: record(length) };
}
