/** An inclusive range of addresses of one family, as integers. */
interface Range {
  readonly start: bigint;
  readonly end: bigint;
}

/** The addresses a list of network patterns covers, IPv4 and IPv6 apart (IPv4-mapped IPv6 counts as IPv4). */
export interface NetworkCoverage {
  readonly v4: readonly Range[];
  readonly v6: readonly Range[];
}

const V4_ALL: Range = { start: 0n, end: 2n ** 32n - 1n };
const V6_ALL: Range = { start: 0n, end: 2n ** 128n - 1n };
const MAPPED: Range = { start: 0xffffn << 32n, end: (0xffffn << 32n) | 0xffffffffn };

function cidr(base: bigint, prefix: number, bits: number): Range {
  const size = 2n ** BigInt(bits - prefix);
  const start = (base / size) * size;
  return { start, end: start + size - 1n };
}

// `10/8`, `10.1/16`, `0/0`: missing octets are zero, as postfix and inet_aton read a network.
function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  while (parts.length < 4) parts.push('0');
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function parseV6(text: string): bigint | undefined {
  let t = text.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(t) || !t.includes(':')) return undefined;
  // A trailing dotted quad (`::ffff:1.2.3.4`) is the last 32 bits.
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  let tail: bigint | undefined;
  if (dotted) {
    tail = parseV4(dotted[1] ?? '');
    if (tail === undefined) return undefined;
    t = `${t.slice(0, -(dotted[1] ?? '').length)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const value = groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
  return tail === undefined ? value : (value & ~0xffffffffn) | tail;
}

// A dotted netmask (`255.255.0.0`) as its prefix length; a mask that is not contiguous is refused.
function maskLength(mask: string): number | undefined {
  const n = parseV4(mask);
  if (n === undefined || mask.split('.').length !== 4) return undefined;
  const bits = n.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : undefined;
}

/** One network pattern (`10.0.0.0/8`, `[::1]/128`, `::ffff:0.0.0.0/96`, `0/0`, `1.2.3.4/255.0.0.0`, `*`) as a range. */
export function parseNetwork(pattern: string): { family: 4 | 6; range: Range } | undefined {
  const text = pattern.trim();
  if (text === '*') return { family: 4, range: V4_ALL };
  const m = /^\[?([0-9A-Fa-f:.]+)\]?(?:\/(\d{1,3}(?:\.\d{1,3}){0,3}))?$/.exec(text);
  if (!m) return undefined;
  const [, addr = '', len] = m;
  if (!addr.includes(':')) {
    const base = parseV4(addr);
    const prefix = len === undefined ? 32 : len.includes('.') ? maskLength(len) : Number(len);
    if (base === undefined || prefix === undefined || prefix > 32) return undefined;
    return { family: 4, range: cidr(base, prefix, 32) };
  }
  const base = parseV6(addr);
  const prefix = len === undefined ? 128 : Number(len);
  if (base === undefined || len?.includes('.') || prefix > 128) return undefined;
  return { family: 6, range: cidr(base, prefix, 128) };
}

function merge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end + 1n)
      out[out.length - 1] = { start: last.start, end: r.end > last.end ? r.end : last.end };
    else out.push(r);
  }
  return out;
}

function subtract(from: readonly Range[], cut: readonly Range[]): Range[] {
  let out = [...from];
  for (const c of cut) {
    out = out.flatMap((r) => {
      if (c.end < r.start || c.start > r.end) return [r];
      const keep: Range[] = [];
      if (c.start > r.start) keep.push({ start: r.start, end: c.start - 1n });
      if (c.end < r.end) keep.push({ start: c.end + 1n, end: r.end });
      return keep;
    });
  }
  return out;
}

function size(ranges: readonly Range[]): bigint {
  return ranges.reduce((n, r) => n + (r.end - r.start + 1n), 0n);
}

/**
 * The union of network patterns, in order: a `!pattern` excludes its range from the patterns after it (the first
 * match wins in postfix and exim lists). Patterns that are not addresses (host names, tables) are left out.
 */
export function networkCoverage(patterns: readonly string[]): NetworkCoverage {
  const v4: Range[] = [];
  const v6: Range[] = [];
  const not4: Range[] = [];
  const not6: Range[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const net = parseNetwork(negated ? raw.slice(1) : raw);
    if (!net) continue;
    // IPv4-mapped IPv6 (`::ffff:0:0/96`) reaches IPv4 clients.
    const mapped =
      net.family === 6 && net.range.start <= MAPPED.end && net.range.end >= MAPPED.start
        ? {
            start: (net.range.start > MAPPED.start ? net.range.start : MAPPED.start) - MAPPED.start,
            end: (net.range.end < MAPPED.end ? net.range.end : MAPPED.end) - MAPPED.start,
          }
        : undefined;
    const add4 = net.family === 4 ? [net.range] : mapped ? [mapped] : [];
    const add6 = net.family === 6 ? [net.range] : [];
    if (negated) {
      not4.push(...add4);
      not6.push(...add6);
    } else {
      v4.push(...subtract(add4, not4));
      v6.push(...subtract(add6, not6));
    }
  }
  return { v4: merge(v4), v6: merge(v6) };
}

// Addresses no outside client has: this network, private, shared (CGNAT), loopback, link-local, multicast, reserved.
const PRIVATE_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/3',
];
const PRIVATE_V6 = ['::/96', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10', 'ff00::/8'];
const ranges = (list: readonly string[]): Range[] => list.flatMap((p) => parseNetwork(p)?.range ?? []);
const NON_PUBLIC_V4 = ranges(PRIVATE_V4);
const NON_PUBLIC_V6 = ranges(PRIVATE_V6);
// More outside addresses than a /8 of IPv4 or a /16 of IPv6 is no organisation's own network: it is the Internet.
const OPEN_V4 = 2n ** 24n;
const OPEN_V6 = 2n ** 112n;

/** Why a coverage lets the Internet in: every address, or more outside addresses than any one network holds; or undefined. */
export function openToInternet(coverage: NetworkCoverage): string | undefined {
  const all4 = size(coverage.v4) === size([V4_ALL]);
  const all6 = size(coverage.v6) === size([V6_ALL]);
  if (all4 || all6) return `covers every ${all4 && all6 ? '' : all4 ? 'IPv4 ' : 'IPv6 '}address`;
  const public4 = size(subtract(coverage.v4, NON_PUBLIC_V4));
  if (public4 >= OPEN_V4) return `covers ${public4} public IPv4 addresses`;
  const public6 = size(subtract(coverage.v6, NON_PUBLIC_V6));
  if (public6 >= OPEN_V6) return 'covers a public IPv6 range larger than a /16';
  return undefined;
}
