/**
 * The first `bits` of an IPv6 address, as `prefix/bits`: one client usually holds a whole /64 or /56, so
 * counting each address alone would give it billions of budgets. An IPv4 address (mapped ones too) and
 * anything that does not parse are returned as they are.
 */
export function ipv6Key(address: string, bits: number): string {
  if (!address.includes(":")) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const masked = groups.map((group, index) => {
    const kept = bits - index * 16;
    if (kept >= 16) return group;
    if (kept <= 0) return 0;
    return group & (0xffff << (16 - kept)) & 0xffff;
  });
  return `${masked.map((group) => group.toString(16)).join(":")}/${bits}`;
}

/** The eight 16-bit groups of an IPv6 address (`::`, a zone and a trailing IPv4 part allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.split("%")[0] as string;
  const ipv4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(":") : [];
  const tail = halves[1] ? halves[1].split(":") : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (zeros < 0 || (halves.length === 2 && zeros === 0)) return undefined;
  const parts = [...head, ...Array<string>(zeros).fill("0"), ...tail];
  if (parts.length !== 8 || parts.some((part) => !/^[0-9a-f]{1,4}$/i.test(part))) return undefined;
  return parts.map((part) => Number.parseInt(part, 16));
}
