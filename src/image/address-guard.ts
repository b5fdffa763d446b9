/**
 * The SSRF guard for URL inputs: which addresses a fetch may connect to. Portable (no Node APIs):
 * it classifies address text; resolving names is a hook the caller passes in (see node-fetch.ts).
 *
 * Refused: every address that is not global unicast — loopback, unspecified, "this network",
 * private (RFC 1918), CGNAT (RFC 6598), link-local (incl. cloud metadata 169.254.169.254),
 * benchmarking, documentation, multicast, reserved, broadcast; IPv6 ULA, link- and site-local,
 * multicast, and every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4,
 * Teredo), since the host may route those to the embedded address.
 */

/** One address a host name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to its addresses (all of them, so every one can be checked). */
export type LookupHook = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** IPv4 blocks that are not globally reachable: [first octets as a 32-bit number, prefix length, why]. */
const V4_REFUSED: readonly (readonly [number, number, string])[] = Object.freeze([
  [0x00000000, 8, 'unspecified / this network'],
  [0x0a000000, 8, 'private'],
  [0x64400000, 10, 'carrier-grade NAT'],
  [0x7f000000, 8, 'loopback'],
  [0xa9fe0000, 16, 'link-local'],
  [0xac100000, 12, 'private'],
  [0xc0000000, 24, 'IETF protocol assignment'],
  [0xc0000200, 24, 'documentation'],
  [0xc0586300, 24, '6to4 relay'],
  [0xc0a80000, 16, 'private'],
  [0xc6120000, 15, 'benchmarking'],
  [0xc6336400, 24, 'documentation'],
  [0xcb007100, 24, 'documentation'],
  [0xe0000000, 4, 'multicast'],
  [0xf0000000, 4, 'reserved / broadcast'],
]);

/** Parses canonical dotted IPv4 (what URL and DNS produce) into a 32-bit number; undefined if not one. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Parses IPv6 text (with `::`, an embedded dotted IPv4 tail, optional brackets and zone) into 8 groups. */
export function parseIPv6(text: string): number[] | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length === 0 || s.length > 45) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const g = pieces[i]!;
      if (i === pieces.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return undefined;
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

function v4Refusal(n: number): string | undefined {
  for (const [base, bits, why] of V4_REFUSED) {
    // Compare the top `bits` bits (unsigned shifts: the numbers use all 32 bits).
    if (n >>> (32 - bits) === base >>> (32 - bits)) return why;
  }
  return undefined;
}

function v6Refusal(g: readonly number[]): string | undefined {
  const [a, b, c, d, e, f] = g as [number, number, number, number, number, number, number, number];
  const zeroTo = (k: number): boolean => g.slice(0, k).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g[7] === 1) return 'loopback';
  if (zeroTo(5) && f === 0xffff) return 'IPv4-mapped';
  if (zeroTo(6)) return 'IPv4-compatible';
  if (zeroTo(4) && e === 0xffff && f === 0) return 'IPv4-translated';
  if (a === 0x64 && b === 0xff9b) return 'NAT64 (embeds IPv4)';
  if (a === 0x2002) return '6to4 (embeds IPv4)';
  if (a === 0x2001 && b === 0) return 'Teredo (embeds IPv4)';
  if (a === 0x2001 && b === 0x0db8) return 'documentation';
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return 'discard-only';
  if ((a & 0xfe00) === 0xfc00) return 'unique local (ULA)';
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xffc0) === 0xfec0) return 'site-local';
  if ((a & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 is allocated as global unicast; everything else is reserved.
  if ((a & 0xe000) !== 0x2000) return 'reserved';
  return undefined;
}

/**
 * Why `address` (IPv4 or IPv6 text, as DNS or a URL gives it) must not be connected to, or
 * undefined for a global unicast address. Text that is not an address at all is refused too.
 */
export function addressRefusal(address: string): string | undefined {
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return v4Refusal(v4);
  const v6 = parseIPv6(address);
  if (v6 !== undefined) return v6Refusal(v6);
  return 'not an IP address';
}

/** The address a URL host names literally (`127.0.0.1`, `[::1]`), or undefined for a host name. */
export function literalAddress(hostname: string): ResolvedAddress | undefined {
  if (parseIPv4(hostname) !== undefined) return { address: hostname, family: 4 };
  if (hostname.startsWith('[') && parseIPv6(hostname) !== undefined) return { address: hostname.slice(1, -1), family: 6 };
  return undefined;
}

/** Host names that mean this machine whatever DNS says (RFC 6761 `localhost` and its subdomains). */
export function isLocalName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.+$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localdomain';
}

/** The outcome of checking one URL: the address to connect to, or why it is refused. */
export type GuardResult =
  /** `address` undefined: a host name with no resolver to check it with (browsers, where CORS rules). */
  { readonly ok: true; readonly address: ResolvedAddress | undefined } | { readonly ok: false; readonly reason: string };

/**
 * Checks the host of `url` (a parsed WHATWG URL: numeric spellings such as `127.1`, `2130706433`,
 * `0x7f000001` and `0177.0.0.1` are already normalized to dotted form). A name is resolved with
 * `lookup` and refused if ANY of its addresses is refused (an attacker controls the order); the
 * first address is returned so the connection can be pinned to it.
 */
export async function checkUrlHost(url: URL, lookup: LookupHook | undefined, allowPrivate: boolean): Promise<GuardResult> {
  const hostname = url.hostname;
  const literal = literalAddress(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal) addresses = [literal];
  else {
    if (!allowPrivate && isLocalName(hostname)) return { ok: false, reason: 'a local host name' };
    if (!lookup) return { ok: true, address: undefined };
    addresses = await lookup(hostname);
    if (addresses.length === 0) return { ok: false, reason: 'the host name has no address' };
  }
  if (!allowPrivate) {
    for (const a of addresses) {
      const why = addressRefusal(a.address);
      if (why !== undefined) return { ok: false, reason: `a ${why} address` };
    }
  }
  return { ok: true, address: addresses[0]! };
}

/** One GET that a `ConnectHook` sends: to `address`, which was checked, never to a fresh lookup. */
export interface PinnedRequest {
  readonly url: URL;
  readonly address: ResolvedAddress;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborts the whole request (the overall timeout). */
  readonly signal: AbortSignal;
  /** Give up if the TCP connection is not up within this many milliseconds. */
  readonly connectTimeoutMs: number;
}

/** Sends one request pinned to a checked address; resolves to the response (redirects not followed). */
export type ConnectHook = (request: PinnedRequest) => Promise<Response>;
