/**
 * Shared fast-check arbitraries and independent reference helpers for EMVCo payloads.
 *
 * Nothing here imports from src/: lengths are counted with `[...value].length` (code points) and
 * the CRC comes from a plain bitwise CRC-16/CCITT-FALSE over `TextEncoder` bytes, so a test that
 * compares the library against these helpers compares two independent implementations.
 *
 * Main exports:
 * - `payloadArb`: a valid payload with random root tags in random order, nested templates
 *   (26-51, 62 incl. 62/50-99, 64, 65-99), non-ASCII and astral characters in 59/60/64.
 * - `payloadCaseArb`: the same, with the generated tree alongside (`{ payload, tree }`).
 * - `staticQrisArb`: a static QRIS-like payload (00, 01=11, 26, 51, 52, 53=360, 58=ID, 59, 60,
 *   optional 61, optional 62, 63). `staticQrisCaseArb` gives `{ payload, tree, fields }`.
 * - `mutatedPayloadArb`: a valid payload after one random insert / delete / substitute / truncate.
 * - `crc16Ref`, `crcHexRef`, `tlv`, `encodeTree`, `withCrc`, `cpLength`.
 */
import fc from 'fast-check';

// ---- Reference CRC and TLV encoding ---------------------------------------------------------------

/** CRC-16/CCITT-FALSE, bit by bit: poly 0x1021, init 0xFFFF, no reflection, no final XOR. */
export function crc16Ref(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** The reference CRC of a string's UTF-8 bytes as four uppercase hex digits. */
export function crcHexRef(s: string): string {
  return crc16Ref(new TextEncoder().encode(s)).toString(16).toUpperCase().padStart(4, '0');
}

/** Length in Unicode code points (what an EMVCo length field counts). */
export function cpLength(s: string): number {
  return [...s].length;
}

/** One data object: ID + two-digit code-point length + value. */
export function tlv(id: string, value: string): string {
  const n = cpLength(value);
  if (n > 99) throw new RangeError(`value of ${id} is ${n} code points long`);
  return id + String(n).padStart(2, '0') + value;
}

/** Appends "6304" and the reference CRC over everything before it. */
export function withCrc(body: string): string {
  const head = body + '6304';
  return head + crcHexRef(head);
}

/** A generated data object: a primitive (`value`) or a template (`children`). */
export interface GenNode {
  readonly id: string;
  readonly value?: string;
  readonly children?: readonly GenNode[];
}

/** The TLV text of a generated object's value. */
export function valueOf(node: GenNode): string {
  return node.children ? node.children.map(encodeNode).join('') : (node.value ?? '');
}

export function encodeNode(node: GenNode): string {
  return tlv(node.id, valueOf(node));
}

/** Encodes root objects (without 63) and appends 6304 + the reference CRC. */
export function encodeTree(nodes: readonly GenNode[]): string {
  return withCrc(nodes.map(encodeNode).join(''));
}

/** Whether a root ID is a template per EMVCo MPM (26-51, 62, 64, 65-99). */
export function isRootTemplateId(id: number): boolean {
  return (id >= 26 && id <= 51) || id === 62 || id >= 64;
}

const id2 = (n: number): string => String(n).padStart(2, '0');

// ---- Character sets ---------------------------------------------------------------------------------

/** Printable ASCII, 0x20-0x7E. */
export const asciiCharArb: fc.Arbitrary<string> = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

/** Non-ASCII BMP characters (no surrogates): Latin-1, CJK, etc. */
export const bmpCharArb: fc.Arbitrary<string> = fc
  .oneof(fc.integer({ min: 0xa0, max: 0x7ff }), fc.integer({ min: 0x800, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0xfffd }))
  .map((c) => String.fromCodePoint(c));

/** Astral characters (two UTF-16 units, four UTF-8 bytes), emoji among them. */
export const astralCharArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('😀', '🚀', '🍜', '🇮', '🇩', '𝄞', '𠮷'),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);

/** Text for 59/60/64: mostly ASCII with non-ASCII BMP and astral characters mixed in. */
export function unicodeTextArb(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof({ arbitrary: asciiCharArb, weight: 3 }, { arbitrary: bmpCharArb, weight: 1 }, { arbitrary: astralCharArb, weight: 1 }),
    minLength,
    maxLength,
  });
}

export function asciiTextArb(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: asciiCharArb, minLength, maxLength });
}

/** A lone surrogate code unit (not a valid code point on its own). */
export const loneSurrogateArb: fc.Arbitrary<string> = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Characters that drive a TLV scanner deep: mostly digits, some of the payload's usual letters. */
export const digitHeavyCharArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '9'), weight: 8 },
  { arbitrary: fc.constantFrom('0', '6', '3', '4'), weight: 4 },
  { arbitrary: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'a', 'f', ' ', '\n', 'é', '😀'), weight: 1 },
);

// ---- Templates ----------------------------------------------------------------------------------------

function uniqueIds(min: number, max: number, minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min, max }), { minLength, maxLength });
}

/** Children of a generic template (26-51, 65-99): 00 GUID-like plus random sub-IDs, ASCII values. */
const genericChildrenArb: fc.Arbitrary<GenNode[]> = uniqueIds(1, 99, 0, 3).chain((ids) =>
  fc
    .tuple(asciiTextArb(1, 16), ...ids.map(() => asciiTextArb(0, 12)))
    .map(([guid, ...values]) => [{ id: '00', value: guid }, ...ids.map((id, i) => ({ id: id2(id), value: values[i]! }))]),
);

/** Children of 62: primitives 01-49 and payment-system templates 50-99 (themselves TLV). */
const additionalDataChildrenArb: fc.Arbitrary<GenNode[]> = uniqueIds(1, 99, 1, 3).chain((ids) =>
  fc.tuple(
    ...ids.map((id): fc.Arbitrary<GenNode> =>
      id >= 50
        ? uniqueIds(0, 99, 1, 2).chain((sub) =>
            fc.tuple(...sub.map(() => asciiTextArb(0, 10))).map((vals) => ({
              id: id2(id),
              children: sub.map((s, i) => ({ id: id2(s), value: vals[i]! })),
            })),
          )
        : asciiTextArb(0, 25).map((value) => ({ id: id2(id), value })),
    ),
  ),
);

/** Children of 64: 00 language, 01 alternate name, 02 alternate city (any Unicode). */
const languageChildrenArb: fc.Arbitrary<GenNode[]> = fc
  .tuple(fc.constantFrom('ZH', 'ID', 'TH', 'JA', 'ar'), unicodeTextArb(1, 25), fc.option(unicodeTextArb(1, 15), { nil: undefined }))
  .map(([lang, name, city]) => [{ id: '00', value: lang }, { id: '01', value: name }, ...(city === undefined ? [] : [{ id: '02', value: city }])]);

function rootObjectArb(id: number): fc.Arbitrary<GenNode> {
  const sid = id2(id);
  if (id === 62) return additionalDataChildrenArb.map((children) => ({ id: sid, children }));
  if (id === 64) return languageChildrenArb.map((children) => ({ id: sid, children }));
  if (isRootTemplateId(id)) return genericChildrenArb.map((children) => ({ id: sid, children }));
  if (id === 59) return unicodeTextArb(1, 25).map((value) => ({ id: sid, value }));
  if (id === 60) return unicodeTextArb(1, 15).map((value) => ({ id: sid, value }));
  return asciiTextArb(0, 40).map((value) => ({ id: sid, value }));
}

function payloadLength(nodes: readonly GenNode[]): number {
  return cpLength(nodes.map(encodeNode).join('')) + 8;
}

/**
 * Root objects of a valid payload (without 63): 00 first, optional 01, then random distinct IDs in
 * random (unsorted) order. 59, 60 and 64 are drawn often so Unicode shows up in most cases.
 */
export const treeArb: fc.Arbitrary<GenNode[]> = fc
  .tuple(
    fc.option(fc.constantFrom('11', '12'), { nil: undefined }),
    fc.uniqueArray(
      fc.oneof(
        { arbitrary: fc.integer({ min: 2, max: 99 }).filter((id) => id !== 63), weight: 3 },
        { arbitrary: fc.constantFrom(59, 60, 64, 62, 26, 51), weight: 2 },
      ),
      { minLength: 1, maxLength: 7 },
    ),
  )
  .chain(([poi, ids]) =>
    fc
      .tuple(...ids.map(rootObjectArb))
      .map((objects): GenNode[] => [{ id: '00', value: '01' }, ...(poi === undefined ? [] : [{ id: '01', value: poi }]), ...objects]),
  )
  .filter((nodes) => payloadLength(nodes) <= 512);

/** A valid payload together with the tree it encodes. */
export const payloadCaseArb: fc.Arbitrary<{ payload: string; tree: GenNode[] }> = treeArb.map((tree) => ({ payload: encodeTree(tree), tree }));

/** A valid EMVCo MPM payload string with a correct (reference) CRC. */
export const payloadArb: fc.Arbitrary<string> = payloadCaseArb.map((c) => c.payload);

// ---- Static QRIS ------------------------------------------------------------------------------------

const QRIS_ISSUERS: readonly (readonly [string, string])[] = [
  ['COM.GO-JEK.WWW', '93600914'],
  ['ID.DANA.WWW', '93600915'],
  ['ID.CO.SHOPEE.WWW', '93600918'],
  ['id.ovo', '93600912'],
  ['ID.LINKAJA.WWW', '93600911'],
  ['ID.CO.BRI.WWW', '93600002'],
  ['ID.CO.BANKMANDIRI.WWW', '93600008'],
  ['ID.CO.BNI.WWW', '93600009'],
  ['ID.CO.BCA.WWW', '93600014'],
  ['ID.CO.CIMBNIAGA.WWW', '93600022'],
  ['ID.CO.BANKBSI.WWW', '93600451'],
];

const digitsArb = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: min, maxLength: max });

const nameCharArb = fc.oneof(
  { arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('')), weight: 8 },
  { arbitrary: fc.constantFrom(...'0123456789 .&-*@'.split('')), weight: 2 },
);

export interface StaticQrisFields {
  readonly guid: string;
  readonly pan: string;
  readonly merchantId: string;
  readonly criteria: string;
  readonly nmid: string;
  readonly mcc: string;
  readonly name: string;
  readonly city: string;
  readonly postalCode: string | undefined;
  readonly terminalLabel: string | undefined;
}

export const staticQrisFieldsArb: fc.Arbitrary<StaticQrisFields> = fc
  .record({
    issuer: fc.constantFrom(...QRIS_ISSUERS),
    panRest: digitsArb(10, 11),
    merchantId: fc.string({ unit: nameCharArb, minLength: 8, maxLength: 15 }).map((s) => s.replace(/[ .&*@-]/g, '0')),
    criteria: fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE'),
    nmid: digitsArb(11, 15).map((d) => 'ID' + d),
    mcc: digitsArb(4, 4),
    name: fc.string({ unit: nameCharArb, minLength: 1, maxLength: 25 }),
    city: fc.string({ unit: nameCharArb, minLength: 1, maxLength: 15 }),
    postalCode: fc.option(digitsArb(5, 5), { nil: undefined }),
    terminalLabel: fc.option(fc.string({ unit: nameCharArb, minLength: 1, maxLength: 12 }), { nil: undefined }),
  })
  .map(({ issuer, panRest, ...rest }) => ({ guid: issuer[0], pan: issuer[1] + panRest, ...rest }));

export function staticQrisTree(f: StaticQrisFields): GenNode[] {
  return [
    { id: '00', value: '01' },
    { id: '01', value: '11' },
    {
      id: '26',
      children: [
        { id: '00', value: f.guid },
        { id: '01', value: f.pan },
        { id: '02', value: f.merchantId },
        { id: '03', value: f.criteria },
      ],
    },
    {
      id: '51',
      children: [
        { id: '00', value: 'ID.CO.QRIS.WWW' },
        { id: '02', value: f.nmid },
        { id: '03', value: f.criteria },
      ],
    },
    { id: '52', value: f.mcc },
    { id: '53', value: '360' },
    { id: '58', value: 'ID' },
    { id: '59', value: f.name },
    { id: '60', value: f.city },
    ...(f.postalCode === undefined ? [] : [{ id: '61', value: f.postalCode }]),
    ...(f.terminalLabel === undefined ? [] : [{ id: '62', children: [{ id: '07', value: f.terminalLabel }] }]),
  ];
}

export const staticQrisCaseArb: fc.Arbitrary<{ payload: string; tree: GenNode[]; fields: StaticQrisFields }> = staticQrisFieldsArb.map((fields) => {
  const tree = staticQrisTree(fields);
  return { payload: encodeTree(tree), tree, fields };
});

/** A static QRIS-like payload (ASCII only) with a correct CRC. */
export const staticQrisArb: fc.Arbitrary<string> = staticQrisCaseArb.map((c) => c.payload);

// ---- Mutations --------------------------------------------------------------------------------------

export type Mutation =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'substitute'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number };

/** Any character a mutation may write, lone surrogates included. */
export const mutationCharArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: digitHeavyCharArb, weight: 4 },
  { arbitrary: asciiCharArb, weight: 2 },
  { arbitrary: bmpCharArb, weight: 1 },
  { arbitrary: astralCharArb, weight: 1 },
  { arbitrary: loneSurrogateArb, weight: 1 },
);

export function applyMutation(s: string, m: Mutation): string {
  const at = Math.min(m.at, s.length);
  switch (m.kind) {
    case 'insert':
      return s.slice(0, at) + m.text + s.slice(at);
    case 'delete':
      return s.slice(0, at) + s.slice(at + m.count);
    case 'substitute':
      return s.slice(0, at) + m.text + s.slice(at + 1);
    case 'truncate':
      return s.slice(0, at);
  }
}

export function mutationArb(length: number): fc.Arbitrary<Mutation> {
  const at = fc.integer({ min: 0, max: Math.max(0, length) });
  return fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at, text: fc.string({ unit: mutationCharArb, minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('substitute' as const), at, text: mutationCharArb }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
  );
}

/** A valid payload (random or static QRIS) after one or two random mutations. */
export const mutatedPayloadArb: fc.Arbitrary<{ original: string; mutated: string; mutations: Mutation[] }> = fc
  .oneof(payloadArb, staticQrisArb)
  .chain((original) =>
    fc.array(mutationArb(original.length), { minLength: 1, maxLength: 2 }).map((mutations) => ({
      original,
      mutations,
      mutated: mutations.reduce(applyMutation, original),
    })),
  );
