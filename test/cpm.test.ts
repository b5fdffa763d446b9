/**
 * qris-codec/cpm: the Annex B vectors (parse, validate, info), a QRIS-shaped code, every structural
 * error with its code and byte offset, and the properties: BER-TLV round trip for any tree (multi-byte
 * tags, long lengths), no exception but QrisError for any truncation or byte flip, and work linear
 * in the input counted in reads.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCpm, cpmInfo, looksLikeCpm, parseCpm, QrisError, toHex, validateCpm, type CpmNode, type CpmObjectInput } from '../src/cpm/index.js';
import { decodeBase64, encodeBase64, type CharSource } from '../src/cpm/base64.js';
import { readObjects } from '../src/cpm/ber.js';
import { codeOf, thrown } from './expect-error.js';

const ANNEX = JSON.parse(readFileSync(new URL('../fixtures/cpm/annex-b.json', import.meta.url), 'utf8')) as {
  vectors: { name: string; hex: string; base64: string }[];
};
const [B1, B2] = ANNEX.vectors as unknown as [{ hex: string; base64: string }, { hex: string; base64: string }];

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
/** A node tree as the builder takes it: values as hex, children where decoded. */
function asInput(nodes: readonly CpmNode[]): CpmObjectInput[] {
  return nodes.map((n) =>
    n.children && !(n.tag === '63' || n.tag === '64') ? { tag: n.tag, children: asInput(n.children) } : { tag: n.tag, value: toHex(n.value) },
  );
}
/** `tag length value` lines for a tree, for comparing with the printed hex. */
function shape(nodes: readonly CpmNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.tag} ${n.length} @${n.offset}`, ...(n.children ? shape(n.children, depth + 1) : [])]);
}

/** A QRIS-shaped CPM per the digest's profile (ast): QRIS AID and label, a DANA NNS PAN, 63 with 9F74. */
const QRIS_CPM: CpmObjectInput[] = [
  { tag: '85', text: 'CPV01' },
  {
    tag: '61',
    children: [
      { tag: '4F', value: 'A0000006022020' },
      { tag: '50', text: 'QRISCPM' },
      { tag: '5A', value: '9360091512345678901F' },
      { tag: '5F20', text: 'BUDI SANTOSO' },
      { tag: '5F2D', text: 'iden' },
      { tag: '63', children: [{ tag: '9F74', value: '0011223344556677889900AABBCCDDEE' }] },
    ],
  },
];

describe('EMVCo Annex B vectors', () => {
  it('B.1 and B.2: the base64 decodes to the printed bytes, and back', () => {
    for (const v of [B1, B2]) {
      expect(toHex(parseCpm(v.base64).bytes)).toBe(v.hex);
      expect(encodeBase64(bytes(v.hex))).toBe(v.base64);
      expect(looksLikeCpm(v.base64)).toBe(true);
    }
  });

  it('B.1 parses to 85, 61 {4F, 57}, validates, and gives AID, PAN from Track 2 (F stripped), expiry and service code', () => {
    const p = parseCpm(B1.base64);
    expect(shape(p.nodes)).toEqual(['85 5 @0', '61 26 @7', '  4F 7 @9', '  57 15 @18']);
    expect(validateCpm(B1.base64)).toEqual({ valid: true, profile: 'emvco', issues: [] });
    const app = cpmInfo(B1.base64, { revealPan: true }).applications[0]!;
    expect(app).toMatchObject({
      aid: 'A0000000555555',
      panSource: '57',
      pan: '1234567890123458',
      maskedPan: '12345678••••3458',
      expiry: '1912',
      serviceCode: '201',
      discretionaryData: '12345',
    });
    expect(cpmInfo(B1.base64).payloadFormat).toBe('CPV01');
  });

  it('B.2 parses to two 61 and a 62 whose 64 is kept as bytes and also decoded; validates; documented fields', () => {
    const p = parseCpm(B2.base64);
    expect(shape(p.nodes)).toEqual([
      '85 5 @0',
      '61 19 @7',
      '  4F 7 @9',
      '  50 8 @18',
      '61 19 @28',
      '  4F 7 @30',
      '  50 8 @39',
      '62 73 @49',
      '  5A 8 @51',
      '  5F20 14 @61',
      '  5F2D 8 @78',
      '  64 33 @89',
      '    9F10 7 @91',
      '    9F26 8 @101',
      '    9F36 2 @112',
      '    9F37 4 @117',
    ]);
    expect(validateCpm(B2.base64)).toEqual({ valid: true, profile: 'emvco', issues: [] });
    const info = cpmInfo(B2.base64);
    expect(info.applications.map((a) => [a.aid, a.label, a.maskedPan, a.cardholderName, a.languages])).toEqual([
      ['A0000000555555', 'Product1', '12345678••••3458', 'CARDHOLDER/EMV', ['ru', 'es', 'de', 'en']],
      ['A0000000666666', 'Product2', '12345678••••3458', 'CARDHOLDER/EMV', ['ru', 'es', 'de', 'en']],
    ]);
    expect(info.applications[0]!.pan).toBeUndefined(); // masked unless asked
    expect(JSON.stringify(info)).not.toContain('1234567890123458');
    expect(toHex(info.commonTransparentData!)).toBe('9F100706010A030000009F2608584FD385FA234BCC9F360200019F37046D58EF13');
  });

  it('bytes and text give the same tree; byte input is copied (later edits do not show)', () => {
    const b = bytes(B2.hex);
    const p = parseCpm(b);
    b[10] = 0;
    expect(shape(p.nodes)).toEqual(shape(parseCpm(B2.base64).nodes));
    expect(toHex(p.bytes)).toBe(B2.hex);
    expect(p.text).toBeUndefined();
  });
});

describe('QRIS CPM', () => {
  it('a QRIS-shaped code built from the profile validates under qris (chosen by its AID) and gives issuer data and NNS', () => {
    const text = buildCpm(QRIS_CPM);
    expect(text.startsWith('hQVDUFY')).toBe(true);
    expect(validateCpm(text)).toEqual({ valid: true, profile: 'qris', issues: [] });
    const app = cpmInfo(text).applications[0]!;
    expect(app.qris).toEqual({ issuerData: bytes('0011223344556677889900AABBCCDDEE'), nns: '93600915', institution: 'DANA' });
    expect(app.maskedPan).toBe('93600915•••••••8901');
    expect(app.label).toBe('QRISCPM');
  });

  it('the Annex B codes are not QRIS codes: under qris they fail the AID rule', () => {
    expect(validateCpm(B1.base64, { profile: 'qris' }).issues.map((i) => i.code)).toContain('QRIS_CPM_BAD_AID');
  });
});

describe('structure errors: a QrisError with a code and a byte offset, never another exception', () => {
  const cases: [string, string | Uint8Array, string, number | undefined][] = [
    ['space inside base64', 'hQVD UFYw', 'BAD_ENCODING', 4],
    ['base64url character', 'hQVDUFYwMWEaT-eg', 'BAD_ENCODING', 13],
    ['one character too many', 'hQVDU', 'BAD_ENCODING', 5],
    ['non-zero unused bits', 'hR==', 'BAD_ENCODING', 1],
    ['= in the middle', 'hQ==hQ==', 'BAD_ENCODING', 2],
    ['offset counts leading whitespace', '  hQ!D', 'BAD_ENCODING', 4],
    ['ends after a tag', bytes('85'), 'TRUNCATED', 1],
    ['ends inside a long length', bytes('6182'), 'TRUNCATED', 2],
    ['length past the end', bytes('8505435056'), 'BER_LENGTH_OVERRUN', 0],
    ['child length past its template', bytes('6104500541414141'), 'BER_LENGTH_OVERRUN', 2],
    ['a tag that never ends', bytes('8505435056303161025F81'), 'BER_BAD_TAG', 9],
    ['a 5-byte tag', bytes('9F8181810100'), 'BER_BAD_TAG', 0],
    ['tag 00 between objects', bytes('0085020101'), 'BER_BAD_TAG', 0],
    ['indefinite length', bytes('618000'), 'BER_BAD_LENGTH', 1],
    ['three length bytes', bytes('8583000001FF'), 'BER_BAD_LENGTH', 1],
    ['trailing filler', bytes('85054350563031000000'), 'TRAILING_BYTES', 7],
    ['nesting past the bound', bytes('6110' + '610E' + '610C' + '610A' + '6108' + '6106' + '6104' + '6102' + '6100'), 'NESTING_TOO_DEEP', 14],
    ['empty', '', 'EMPTY_INPUT', undefined],
    ['whitespace', ' \n', 'EMPTY_INPUT', undefined],
    ['empty bytes', new Uint8Array(0), 'EMPTY_INPUT', undefined],
    ['text over 4096 characters', 'A'.repeat(4100), 'TOO_LONG', 4096],
    ['bytes over 3072', new Uint8Array(3073), 'TOO_LONG', 3072],
  ];
  it.each(cases.map(([name, input, code, offset]) => [name, code, input, offset] as const))('%s -> %s', (_name, code, input, offset) => {
    const e = thrown(() => parseCpm(input));
    expect(e.code).toBe(code);
    expect(e.offset).toBe(offset);
    expect(e.message.length).toBeLessThan(300);
    // validate reports it as its one issue; info throws it
    expect(validateCpm(input).issues).toEqual([expect.objectContaining({ code, severity: 'error' })]);
    expect(codeOf(() => cpmInfo(input))).toBe(code);
  });

  it('each structural code, by name', () => {
    expect(codeOf(() => parseCpm('hQVD!'))).toBe('BAD_ENCODING');
    expect(codeOf(() => parseCpm(bytes('5F')))).toBe('BER_BAD_TAG');
    expect(codeOf(() => parseCpm(bytes('5A80')))).toBe('BER_BAD_LENGTH');
    expect(codeOf(() => parseCpm(bytes('5A0212')))).toBe('BER_LENGTH_OVERRUN');
    expect(codeOf(() => parseCpm(bytes('5A01')))).toBe('BER_LENGTH_OVERRUN');
    expect(codeOf(() => parseCpm(bytes('5A8101')))).toBe('BER_LENGTH_OVERRUN');
    expect(codeOf(() => parseCpm(bytes('5A82')))).toBe('TRUNCATED');
    expect(codeOf(() => parseCpm(bytes('5A00005A00')))).toBe('BER_BAD_TAG');
    expect(codeOf(() => parseCpm(bytes('5A00FF')))).toBe('TRAILING_BYTES');
    expect(codeOf(() => parseCpm(new Uint8Array(0)))).toBe('EMPTY_INPUT');
    let deep = bytes('5A00');
    for (let d = 0; d < 8; d++) deep = Uint8Array.from([0x61, deep.length, ...deep]);
    expect(codeOf(() => parseCpm(deep))).toBe('NESTING_TOO_DEEP');
    // 7 levels of templates (8 of objects) is the bound, and parses
    expect(parseCpm(deep.subarray(2)).nodes[0]!.tag).toBe('61');
  });

  it('a non-string, non-bytes input is NOT_A_STRING; bad options are BAD_OPTION', () => {
    for (const v of [42, null, undefined, {}, [1, 2], new Uint16Array(2)]) expect(codeOf(() => parseCpm(v as never))).toBe('NOT_A_STRING');
    expect(codeOf(() => validateCpm(B1.base64, { profile: 'mpm' as never }))).toBe('BAD_OPTION');
    expect(codeOf(() => cpmInfo(B1.base64, { revealPan: 'yes' as never }))).toBe('BAD_OPTION');
  });

  it('an error message quotes at most ~40 characters of the input', () => {
    const e = thrown(() => parseCpm('hQVD' + '\u00e9'.repeat(3000)));
    expect(e.code).toBe('BAD_ENCODING');
    expect(e.message.length).toBeLessThan(120);
  });

  it('a transparent template (63, 64) that is not BER-TLV is kept as bytes, without children, and not refused', () => {
    const p = parseCpm(
      buildCpm([
        {
          tag: '61',
          children: [
            { tag: '4F', value: 'A0000000555555' },
            { tag: '5A', value: '1234' },
            { tag: '63', value: 'FFFF01' },
          ],
        },
      ]),
    );
    const t63 = p.nodes[1]!.children![2]!;
    expect(t63.tag).toBe('63');
    expect(t63.children).toBeUndefined();
    expect(toHex(t63.value)).toBe('FFFF01');
    expect(validateCpm(p).valid).toBe(true);
  });

  it('unknown objects are kept (root and inside templates), with offsets', () => {
    const text = buildCpm([
      {
        tag: '61',
        children: [
          { tag: '4F', value: 'A0000000555555' },
          { tag: '5A', value: '1234' },
          { tag: 'DF8101', value: 'AA' },
        ],
      },
      { tag: 'BF0C', children: [{ tag: '9F4D', value: '0B0A' }] },
    ]);
    const p = parseCpm(text);
    expect(shape(p.nodes)).toEqual(['85 5 @0', '61 18 @7', '  4F 7 @9', '  5A 2 @18', '  DF8101 1 @22', 'BF0C 5 @27', '  9F4D 2 @30']);
    expect(cpmInfo(p).otherObjects).toEqual([{ tag: 'BF0C', offset: 27 }]);
    expect(validateCpm(p).valid).toBe(true);
  });
});

describe('buildCpm', () => {
  it('writes the shortest length forms: 7F, 81 80, 81 FF, 82 01 00', () => {
    for (const [n, head] of [
      [127, '7F'],
      [128, '8180'],
      [255, '81FF'],
      [256, '820100'],
    ] as const) {
      const p = parseCpm(buildCpm([{ tag: 'DF01', value: new Uint8Array(n) }], { payloadFormat: false }));
      expect(toHex(p.bytes.subarray(2, 2 + head.length / 2))).toBe(head);
      expect(p.nodes[0]!.length).toBe(n);
    }
  });

  it('puts 85 CPV01 first unless told not to or given one', () => {
    expect(toHex(parseCpm(buildCpm([])).bytes)).toBe('85054350563031');
    expect(parseCpm(buildCpm([{ tag: '85', text: 'CPV01' }])).nodes.length).toBe(1);
    expect(parseCpm(buildCpm([{ tag: '5A', value: '12' }], { payloadFormat: false })).nodes[0]!.tag).toBe('5A');
  });

  it('refuses what cannot be encoded with BAD_FIELD (tag, children under a primitive, hex, text, depth, a throwing getter)', () => {
    const bad: unknown[] = [
      [{ tag: '5F', value: '00' }], // multi-byte tag cut short
      [{ tag: '1F', value: '00' }],
      [{ tag: '9F8101', value: '00' }].map((o) => ({ ...o, tag: '9F81' })), // last byte with b8 set
      [{ tag: 'FF', value: '00' }],
      [{ tag: 'ZZ', value: '00' }],
      [{ tag: '5A', children: [] }],
      [{ tag: '5A', value: 'ABC' }],
      [{ tag: '50', text: 'Café' }],
      [{ tag: '50', text: 'A', value: '41' }],
      [{ tag: '50' }],
      [null],
      'not an array',
      [
        {
          get tag(): string {
            throw new TypeError('boom');
          },
        },
      ],
    ];
    bad.forEach((b, i) =>
      expect(
        codeOf(() => buildCpm(b as never)),
        `case ${i}`,
      ).toBe('BAD_FIELD'),
    );
    const cyclic: { tag: string; children: unknown[] } = { tag: '61', children: [] };
    cyclic.children.push(cyclic);
    expect(codeOf(() => buildCpm([cyclic as never]))).toBe('BAD_FIELD');
    expect(codeOf(() => buildCpm([{ tag: 'DF01', value: new Uint8Array(3100) }]))).toBe('OUTPUT_TOO_LONG');
    expect(codeOf(() => buildCpm([], { payloadFormat: 1 as never }))).toBe('BAD_OPTION');
  });
});

// ---- properties ------------------------------------------------------------------------------------

/** A BER tag: 1 byte (low 5 bits not all 1), or 2-3 bytes (first byte's low 5 bits all 1). */
const tagArb = (constructed: boolean): fc.Arbitrary<string> => {
  const cls = fc.integer({ min: 0, max: 3 }).map((c) => (c << 6) | (constructed ? 0x20 : 0));
  const single = fc.tuple(cls, fc.integer({ min: 1, max: 30 })).map(([c, n]) => [c | n]);
  const multi = fc
    .tuple(cls, fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 1 }), fc.integer({ min: 0x01, max: 0x7f }))
    .map(([c, mid, last]) => [c | 0x1f, ...mid, last]);
  return fc
    .oneof(single, multi)
    .filter((b) => b[0] !== 0xff && b[0] !== 0x00)
    .map((b) => toHex(b));
};

type Tree = CpmObjectInput & { readonly value?: string; readonly children?: readonly Tree[] };
const { tree: treeArb } = fc.letrec<{ tree: Tree[]; node: Tree }>((tie) => ({
  tree: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      tag: tagArb(false),
      // short values, and values of 128-300 bytes (the 81 and 82 length forms)
      value: fc
        .oneof(
          fc.uint8Array({ maxLength: 12 }),
          fc.integer({ min: 120, max: 300 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        )
        .map((v) => toHex(v)),
    }),
    fc.record({ tag: tagArb(true).filter((t) => t !== '63' && t !== '64'), children: fc.array(tie('node'), { maxLength: 3 }) }),
  ),
}));

describe('properties', () => {
  it('round trip: parseCpm(buildCpm(tree)) gives back the tree, for any tree with multi-byte tags and long lengths', () => {
    let long = 0;
    let multi = 0;
    fc.assert(
      fc.property(treeArb, (tree) => {
        let text: string;
        try {
          text = buildCpm(tree, { payloadFormat: false });
        } catch (e) {
          if (e instanceof QrisError && e.code === 'OUTPUT_TOO_LONG') return; // over the 3072-byte bound
          throw e;
        }
        const p = parseCpm(text);
        expect(asInput(p.nodes)).toEqual(tree);
        expect(encodeBase64(p.bytes)).toBe(text);
        if (/[0-9A-F]{256}/.test(JSON.stringify(tree))) long++;
        if (JSON.stringify(tree).match(/"tag":"[0-9A-F]{4,}"/)) multi++;
      }),
      { numRuns: 300 },
    );
    expect(long).toBeGreaterThan(10);
    expect(multi).toBeGreaterThan(10);
  });

  it('any truncation of the bytes or of the text, and any byte flip: a result or a QrisError, never another exception; a cut inside an object throws', () => {
    const guard = (fn: () => unknown) => {
      try {
        fn();
        return true;
      } catch (e) {
        if (!(e instanceof QrisError)) throw e;
        return false;
      }
    };
    const samples = [bytes(B1.hex), bytes(B2.hex), parseCpm(buildCpm(QRIS_CPM)).bytes];
    for (const b of samples) {
      const roots = new Set(parseCpm(b).nodes.map((n) => n.offset));
      for (let k = 0; k < b.length; k++) {
        const cut = b.subarray(0, k);
        const ok = guard(() => parseCpm(cut));
        expect(ok, `cut at ${k}`).toBe(k > 0 && roots.has(k)); // only a cut at a root boundary parses
        expect(() => validateCpm(cut)).not.toThrow();
      }
      const text = encodeBase64(b);
      for (let k = 0; k < text.length; k++) {
        guard(() => parseCpm(text.slice(0, k)));
        guard(() => cpmInfo(text.slice(0, k)));
      }
    }
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 1, max: 255 }), (b, at, x) => {
        const flipped = b.slice();
        flipped[at % b.length]! ^= x;
        guard(() => parseCpm(flipped));
        guard(() => cpmInfo(flipped));
        expect(() => validateCpm(flipped)).not.toThrow();
        expect(() => validateCpm(flipped, { profile: 'qris' })).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('any byte string: a tree or a QrisError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        try {
          parseCpm(b);
          validateCpm(b);
          cpmInfo(b);
        } catch (e) {
          expect(e).toBeInstanceOf(QrisError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- linear time -------------------------------------------------------------------------------------

/** Reads of `bytes` by the BER reader, counted through a Proxy (every index read of a header byte). */
function berReads(b: Uint8Array): number {
  let reads = 0;
  const counting = new Proxy(b, {
    get: (target, key): unknown => {
      if (typeof key === 'string' && key.charCodeAt(0) <= 57) reads++;
      return Reflect.get(target, key);
    },
  });
  try {
    readObjects(b, 0, b.length, 0, '', counting);
  } catch (e) {
    if (!(e instanceof QrisError)) throw e;
  }
  return reads;
}

/** `charCodeAt` calls the base64 decoder makes. */
function base64Reads(s: string): number {
  let reads = 0;
  const src: CharSource = {
    length: s.length,
    charCodeAt: (i) => {
      reads++;
      return s.charCodeAt(i);
    },
  };
  try {
    decodeBase64(src);
  } catch (e) {
    if (!(e instanceof QrisError)) throw e;
  }
  return reads;
}

/** Shapes that would be slow in a careless reader, at about `n` bytes. */
const SHAPES: Record<string, (n: number) => Uint8Array> = {
  // many tiny objects in one level
  flat: (n) => bytes('5A00'.repeat(n / 2)),
  // nested transparent templates whose innermost content fails: each level is tried once
  transparentFails: (n) => {
    let inner = bytes('5F'.repeat(Math.max(1, n - 14)));
    for (let d = 0; d < 6; d++) {
      const head =
        inner.length < 128 ? [0x63, inner.length] : inner.length < 256 ? [0x63, 0x81, inner.length] : [0x63, 0x82, inner.length >> 8, inner.length & 0xff];
      inner = Uint8Array.from([...head, ...inner]);
    }
    return inner;
  },
  // a template of many small templates
  nested: (n) => {
    const unit = '6104' + '5A021234';
    const body = unit.repeat(Math.floor((n - 4) / 6));
    const len = body.length / 2;
    return bytes(
      '61' +
        (len < 128 ? len.toString(16).padStart(2, '0') : len < 256 ? '81' + len.toString(16).padStart(2, '0') : '82' + len.toString(16).padStart(4, '0')) +
        body,
    );
  },
  // filler at the end (refused after one look at each byte)
  filler: (n) => bytes('5A00' + '00'.repeat(n - 2)),
};

describe('linear time (reads counted, not wall clock)', () => {
  it('the BER reader reads each byte a bounded number of times: reads per byte from 64 to 3072 bytes stay within 1.5x, for every shape', () => {
    for (const [name, make] of Object.entries(SHAPES)) {
      const perByte = [64, 256, 1024, 3072].map((n) => {
        const b = make(n);
        return berReads(b) / b.length;
      });
      // A reader that re-read a level per object, or retried a transparent template from each
      // parent, grows with the size (16x-50x here); a linear one stays flat (measured 0.5-2.2).
      expect(Math.max(...perByte), `${name}: ${perByte.join(', ')}`).toBeLessThanOrEqual(Math.min(...perByte) * 1.5 + 0.5);
      expect(Math.max(...perByte), name).toBeLessThan(8);
    }
  });

  it('the base64 decoder reads each character at most twice (valid text, bad character at the end, padding)', () => {
    for (const make of [(n: number) => 'hQVD'.repeat(n / 4), (n: number) => 'A'.repeat(n - 1) + '!', (n: number) => 'AAA'.repeat(n / 3) + '==']) {
      for (const n of [64, 1024, 4096]) {
        const s = make(n);
        expect(base64Reads(s)).toBeLessThanOrEqual(2 * s.length + 4);
      }
    }
  });
});
