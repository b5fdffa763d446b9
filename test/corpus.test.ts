/**
 * The real-world corpus (fixtures/dev-payloads.json): every CRC-valid entry parses and round-trips;
 * every broken entry fails with the code, offset and tag written in the table below. The table was
 * worked out by walking each payload by hand (ID, length, value), not by running the parser.
 */
import { describe, expect, it } from 'vitest';
import { parse, QrisError, safeParse, serialize } from '../src/index.js';
import type { QrisErrorCode, TlvNode } from '../src/index.js';
import corpus from '../fixtures/dev-payloads.json' with { type: 'json' };
import { cpLength, crcHexRef } from './arbitraries.js';

interface Entry {
  readonly payload: string;
  readonly country: string;
  readonly kind: string;
  readonly crc_valid: boolean;
  readonly notes: string;
}
const entries: readonly Entry[] = corpus;

interface Broken {
  /** A substring that identifies exactly one corpus entry. */
  readonly key: string;
  readonly code: QrisErrorCode;
  readonly offset: number;
  readonly tag: string | undefined;
  readonly expected?: string;
  readonly actual?: string;
}

const BROKEN: readonly Broken[] = [
  // Synthetic string: 26 declares 33 but its sub-objects run longer, so the root walk continues
  // inside 26's real content (51 "0", 56 "1385...", 35 "3360...") and at 120 reads "tN" (from
  // "MerchantName") as an ID.
  { key: '0715MerchantName5204', code: 'BAD_ID', offset: 120, tag: undefined },
  // GoPay with a URL-encoded name: 59 declares 10 but "Yann%20Store" has 12 characters; after
  // "Yann%20Sto" the walk reads "re" as the next ID at 160.
  { key: 'Yann%20Store', code: 'BAD_ID', offset: 160, tag: undefined },
  // Banrisul Pix: the structure is sound (00 01 26 52 53 58 59 60 61 62 63), only the CRC is
  // wrong: it declares DAA6 over content whose CRC-16 is DAA5 (the notes say so too).
  { key: 'banrisul', code: 'CRC_MISMATCH', offset: 188, tag: '63', expected: 'DAA5', actual: 'DAA6' },
  // BRI RM PADANG MURAH: 26 declares 63 but its sub-objects need 67; the walk lands at 79 on "E5"
  // (the tail of "UME" + "51...") and reads it as an ID. It never reaches the missing CRC.
  { key: 'RM PADANG MURAH', code: 'BAD_ID', offset: 79, tag: undefined },
  // REIHAN STORE: 26 declares 67 (its 00 says 16 for the 13-character "ID.CO.BRI.WWW"); the walk
  // lands at 83 on "3U" of "0303UMI". The bare "6304" at the end is never reached.
  { key: 'REIHAN STORE', code: 'BAD_ID', offset: 83, tag: undefined },
  // Fake BCA: 26 declares 59 and swallows 52/53 and "5802"; the walk lands at 75 on "ID".
  { key: 'FragrancesHub', code: 'BAD_ID', offset: 75, tag: undefined },
  // Mandiri AYAM JUKUT: a sound structure that simply ends after 62 (no 63 at all, so the notes'
  // "63 is not last" means "absent"). CRC_MISSING points just past the end: offset = length 220.
  { key: 'AYAM JUKUT CABE IJO', code: 'CRC_MISSING', offset: 220, tag: '63' },
  // LinkAja KOMA MINIMAL: 26 is actually self-consistent (18 + 22 + 19 = 59); the broken length is
  // 59's: it declares 14 for the 12-character "KOMA MINIMAL", swallowing "60". The walk then reads
  // ID "07" and length "JA" (from "JAKARTA") at 114: BAD_LENGTH at the length field, offset 116.
  { key: 'KOMA MINIMAL', code: 'BAD_LENGTH', offset: 116, tag: '07' },
  // Paylabs mock: 26 declares 66 but holds less, so the walk reads "00 01 5" at 82 (a second 00),
  // "20 41 ..." at 87, "01 10 Test QRIS6" at 132 and then ID "30" with length "4A" at 146: the
  // structure fails (offset 148, the length field) before duplicate-ID or CRC checks can run.
  { key: 'Test QRIS6304ABCD', code: 'BAD_LENGTH', offset: 148, tag: '30' },
  // Mandiri Syariah edited: 51 declares 44 but now holds a 15-digit 01 and no 02, so the walk reads
  // "99" + "95" at 135 and 95 characters do not remain (only 63): TRUNCATED at 135, tag 99.
  { key: 'MASJID JABAL ARAFAH', code: 'TRUNCATED', offset: 135, tag: '99' },
  // "Valid format" example: 26 declares 37 for more content; the walk reads 45 (67 chars) at 53,
  // 40 (30 chars) at 124 and then ID "60" with length "AB" at 158: BAD_LENGTH at offset 160.
  { key: '5802ID5303360ABC1', code: 'BAD_LENGTH', offset: 160, tag: '60' },
  // Buggy Pix encoder: 59 declares 33 for a 28-character name and swallows "6016J"; the walk reads
  // "ar" (from "JaraguádoSul") as an ID at 161.
  { key: 'JaraguádoSul', code: 'BAD_ID', offset: 161, tag: undefined },
];

/** Warnings expected on CRC-valid entries (all others parse without any warning). */
const WARNINGS: readonly { key: string; warnings: readonly [code: string, tag: string, offset: number][] }[] = [
  // Thai PromptPay: 81 is an unreserved template (80-99) holding UCS-2 hex, not TLV ("0048" reads
  // as ID 00 with length 48, more than remains): kept raw.
  { key: '814800480065006C', warnings: [['TEMPLATE_NOT_TLV', '81', 81]] },
  // ShopeePay transfer: 62/99 (a payment-system template, 50-99) holds 35 zeros: eight empty
  // "0000" objects and 3 characters left over, so it is kept raw. The offset points at the leftover.
  { key: '0804DMCT9935', warnings: [['TEMPLATE_NOT_TLV', '62/99', 187]] },
];

function find(key: string): Entry {
  const hits = entries.filter((e) => e.payload.includes(key));
  expect(hits, key).toHaveLength(1);
  return hits[0]!;
}

function* walk(nodes: readonly TlvNode[]): Generator<TlvNode> {
  for (const n of nodes) {
    yield n;
    if (n.children) yield* walk(n.children);
  }
}

describe('corpus', () => {
  const valid = entries.filter((e) => e.crc_valid);
  const broken = entries.filter((e) => !e.crc_valid);

  it('holds 57 entries, 45 CRC-valid and 12 broken; the table covers each broken entry exactly once', () => {
    expect(entries).toHaveLength(57);
    expect(valid).toHaveLength(45);
    expect(broken).toHaveLength(12);
    const covered = BROKEN.map((b) => find(b.key));
    expect(new Set(covered).size).toBe(BROKEN.length);
    expect(new Set(covered)).toEqual(new Set(broken));
  });

  it.each(valid.map((e) => [e.notes.slice(e.notes.indexOf(';') + 2, e.notes.indexOf(';') + 70), e] as const))(
    'CRC-valid entry parses and serialize(parse(x)) === x: %s',
    (_name, e) => {
      const r = parse(e.payload);
      expect(serialize(r)).toBe(e.payload);
      expect(r.crc.valid).toBe(true);
      // The corpus flag agrees with the independent reference CRC.
      expect(r.crc.declared.toUpperCase()).toBe(crcHexRef(e.payload.slice(0, -4)));
      expect(r.nodes[0]?.id).toBe('00');
      expect(r.nodes.at(-1)?.id).toBe('63');
      for (const n of walk(r.nodes)) {
        expect(e.payload.slice(n.offset, n.offset + 2)).toBe(n.id);
        expect(n.length).toBe(cpLength(n.value));
      }
      const expected = WARNINGS.find((w) => e.payload.includes(w.key))?.warnings ?? [];
      expect(r.warnings.map((w) => [w.code, w.tag, w.offset])).toEqual(expected);
    },
  );

  it.each(BROKEN.map((b) => [b.key, b.code, b] as const))('broken entry %s fails with %s', (_key, _code, b) => {
    const e = find(b.key);
    expect(e.crc_valid).toBe(false);
    let caught: unknown;
    try {
      parse(e.payload);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QrisError);
    const err = caught as QrisError;
    expect({ code: err.code, offset: err.offset, tag: err.tag }).toEqual({ code: b.code, offset: b.offset, tag: b.tag });
    if (b.expected !== undefined) {
      expect(err.expected).toBe(b.expected);
      expect(err.expected).toBe(crcHexRef(e.payload.slice(0, -4)));
    }
    if (b.actual !== undefined) expect(err.actual).toBe(b.actual);
    const safe = safeParse(e.payload);
    expect(safe.ok).toBe(false);
    if (!safe.ok) expect(safe.error.code).toBe(b.code);
  });

  it('the structurally sound broken entry (Banrisul) parses with verifyCrc:false and reports crc.valid = false', () => {
    const e = find('banrisul');
    const r = parse(e.payload, { verifyCrc: false });
    expect(r.crc).toEqual({ declared: 'DAA6', computed: 'DAA5', valid: false });
    // Serializing recomputes the CRC: the output differs from the input only in the last 4 characters.
    const out = serialize(r);
    expect(out.slice(0, -4)).toBe(e.payload.slice(0, -4));
    expect(out.slice(-4)).toBe('DAA5');
    expect(parse(out).crc.valid).toBe(true);
  });

  it('the Malaysian DuitNow entry keeps its zero-padded CRC 00D7 through a round trip', () => {
    const e = find('TAKOYAKI');
    expect(e.payload.endsWith('630400D7')).toBe(true);
    expect(parse(e.payload).crc.computed).toBe('00D7');
    expect(serialize(parse(e.payload))).toBe(e.payload);
  });

  it('the PromptPay entries keep their unsorted tag order (54 after 58)', () => {
    expect(parse(find('540520.15').payload).nodes.map((n) => n.id)).toEqual(['00', '01', '29', '53', '58', '54', '63']);
    expect(parse(find('540510.05').payload).nodes.map((n) => n.id)).toEqual(['00', '01', '29', '53', '58', '54', '81', '63']);
  });
});
