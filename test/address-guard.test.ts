// The SSRF address classifier: every spelling of an address gets the same verdict, the refused
// blocks are refused wherever inside them, and IPv6 forms that embed IPv4 are always refused.
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal, checkUrlHost, isLocalName, parseIPv4, parseIPv6 } from '../src/image/address-guard.js';

const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** [first address, prefix length] of each refused IPv4 block. */
const REFUSED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const inBlock = (n: number): boolean => REFUSED_V4.some(([a, bits]) => n >>> (32 - bits) === parseIPv4(a)! >>> (32 - bits));

describe('addressRefusal', () => {
  it('property: an IPv4 address is refused exactly when it lies in a refused block', () => {
    fc.assert(
      fc.property(u32, (n) => {
        expect(addressRefusal(dotted(n)) !== undefined).toBe(inBlock(n));
      }),
      { numRuns: 5000 },
    );
  });

  it('property: every address inside each refused block is refused (first, last and random)', () => {
    for (const [a, bits] of REFUSED_V4) {
      const base = parseIPv4(a)!;
      const size = 2 ** (32 - bits);
      expect(addressRefusal(dotted(base))).toBeDefined();
      expect(addressRefusal(dotted(base + size - 1))).toBeDefined();
      fc.assert(
        fc.property(fc.integer({ min: 0, max: size - 1 }), (k) => {
          expect(addressRefusal(dotted(base + k))).toBeDefined();
        }),
        { numRuns: 200 },
      );
    }
    // Neighbours just outside are public.
    for (const a of [
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '8.8.8.8',
      '1.1.1.1',
    ]) {
      expect(addressRefusal(a)).toBeUndefined();
    }
  });

  it('property: numeric spellings (decimal, hex, octal, short forms) normalized by URL get the verdict of the dotted form', () => {
    fc.assert(
      fc.property(u32, (n) => {
        const verdict = addressRefusal(dotted(n)) !== undefined;
        const [a, b, c, d] = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
        for (const spelling of [
          String(n),
          `0x${n.toString(16)}`,
          `0${a.toString(8)}.${b}.0x${c.toString(16)}.${d}`,
          `${a}.${(n & 0xffffff) >>> 0}`,
          `${a}.${b}.${(n & 0xffff) >>> 0}`,
        ]) {
          const host = new URL(`http://${spelling}/`).hostname;
          expect(host).toBe(dotted(n));
          expect(addressRefusal(host) !== undefined).toBe(verdict);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('property: an IPv6 address embedding any IPv4 address (mapped, compatible, NAT64, 6to4) is refused, in every text form', () => {
    fc.assert(
      fc.property(u32, (n) => {
        const hi = (n >>> 16).toString(16);
        const lo = (n & 0xffff).toString(16);
        for (const text of [
          `::ffff:${dotted(n)}`,
          `::ffff:${hi}:${lo}`,
          `0:0:0:0:0:ffff:${hi}:${lo}`,
          `::${dotted(n)}`,
          `64:ff9b::${hi}:${lo}`,
          `2002:${hi}:${lo}::1`,
        ]) {
          expect(addressRefusal(text)).toBeDefined();
          expect(addressRefusal(new URL(`http://[${text}]/`).hostname)).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: parseIPv6 agrees with node:net on what is IPv6, and compressed and full forms parse alike', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (g) => {
        const full = g.map((x) => x.toString(16)).join(':');
        const canonical = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        expect(parseIPv6(full)).toEqual(g);
        expect(parseIPv6(canonical)).toEqual(g);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12, unit: fc.constantFrom(...'0123456789abcdef:.') }), (s) => {
        expect(parseIPv6(s) !== undefined).toBe(isIP(s) === 6);
      }),
      { numRuns: 5000 },
    );
  });

  it('IPv6 special blocks are refused, global unicast is not', () => {
    for (const a of [
      '::',
      '::1',
      'fc00::1',
      'fdff::1',
      'fe80::1%eth0',
      'febf::1',
      'fec0::1',
      'ff02::1',
      '2001:db8::1',
      '2001::1',
      '100::1',
      '4000::1',
      '64:ff9b:1::1',
    ]) {
      expect(addressRefusal(a), a).toBeDefined();
    }
    for (const a of ['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450::1']) expect(addressRefusal(a), a).toBeUndefined();
    expect(addressRefusal('not-an-address')).toBeDefined();
  });

  it('local names', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', 'a.b.localhost', 'localhost.localdomain']) expect(isLocalName(h), h).toBe(true);
    for (const h of ['localhost.example.com', 'mylocalhost', 'example.com']) expect(isLocalName(h), h).toBe(false);
  });
});

describe('checkUrlHost', () => {
  it('resolves names with the hook, refuses when any address is refused, pins the first', async () => {
    const lookup = async (h: string) =>
      h === 'two.test'
        ? [
            { address: '93.184.216.34', family: 4 as const },
            { address: '2606:4700::1', family: 6 as const },
          ]
        : [
            { address: '93.184.216.34', family: 4 as const },
            { address: '10.0.0.1', family: 4 as const },
          ];
    expect(await checkUrlHost(new URL('http://two.test/'), lookup, false)).toEqual({ ok: true, address: { address: '93.184.216.34', family: 4 } });
    expect((await checkUrlHost(new URL('http://mixed.test/'), lookup, false)).ok).toBe(false);
    expect((await checkUrlHost(new URL('http://mixed.test/'), lookup, true)).ok).toBe(true);
    expect(await checkUrlHost(new URL('http://[::1]:8080/'), undefined, true)).toEqual({ ok: true, address: { address: '::1', family: 6 } });
  });
});
