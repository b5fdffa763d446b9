// Proof that the issue-17 test pictures (test/multi-code-pictures.ts) hold what they claim. Each is
// read by zxing-wasm directly (every symbol, up to 16), on the pixels sharp decodes, not through
// decodeImage: the set of texts found must equal the picture's `expected`. And the tampered payload
// differs from the real one only in the account digits, with a valid CRC.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';
import { crc16, formatCrc, info, parse } from '../src/index.js';
import { qrMatrix } from '../fixtures/images/render.js';
import {
  bomPicture,
  crlfPicture,
  EXTRA_LAYOUTS,
  LAYOUTS,
  manyCodesPicture,
  MENU_URL,
  ORIGINAL,
  tamper,
  type BuildOptions,
  type Layout,
  type Picture,
} from './multi-code-pictures.js';

const require = createRequire(import.meta.url);

beforeAll(async () => {
  // zxing-wasm fetches its .wasm from a CDN by default: hand it the bytes from node_modules.
  const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
});

/** The picture's pixels as sharp decodes them, RGBA. */
async function pixels(p: Picture): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const { data, info: meta } = await sharp(p.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([meta.width, meta.height]).toEqual([p.width, p.height]);
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: meta.width, height: meta.height };
}

/** Every QR symbol zxing-wasm finds in the pixels, trying hard. */
function scan(px: { data: Uint8ClampedArray; width: number; height: number }): Promise<ReadResult[]> {
  return readBarcodes({ ...px, colorSpace: 'srgb' } as ImageData, { formats: ['QRCode'], maxNumberOfSymbols: 16, tryHarder: true });
}
const read = async (p: Picture): Promise<ReadResult[]> => scan(await pixels(p));
const texts = (rs: readonly ReadResult[]): string[] => [...new Set(rs.map((r) => r.text))].sort();

const A = ORIGINAL;
const B = tamper(A);

describe('tamper: the fraudster’s payload', () => {
  it('differs from the real one only in the digits of 26/01 after the NNS, 26/02 and the CRC', () => {
    const a = parse(A);
    const b = parse(B);
    expect(b.crc.valid).toBe(true);
    expect(B.slice(-4)).toBe(formatCrc(crc16(B.slice(0, -4))));
    expect(B).not.toBe(A);
    expect(B.length).toBe(A.length);
    // Same objects in the same order; only 26 and 63 change.
    expect(b.nodes.map((n) => n.id)).toEqual(a.nodes.map((n) => n.id));
    for (const [i, n] of a.nodes.entries()) if (n.id !== '26' && n.id !== '63') expect(b.nodes[i]).toEqual(n);
    const a26 = a.nodes.find((n) => n.id === '26')!.children!;
    const b26 = b.nodes.find((n) => n.id === '26')!.children!;
    expect(b26.map((n) => [n.id, n.length])).toEqual(a26.map((n) => [n.id, n.length]));
    for (const [i, n] of a26.entries()) {
      const m = b26[i]!;
      if (n.id === '01') {
        expect(m.value.slice(0, 8)).toBe(n.value.slice(0, 8));
        expect(m.value).toMatch(/^\d+$/);
        expect(m.value).not.toBe(n.value);
      } else if (n.id === '02') {
        expect(m.value).toMatch(/^\d+$/);
      } else expect(m).toEqual(n);
    }
    // Every byte that differs lies inside 26/01 (after the NNS), 26/02 or the CRC.
    const at = (id: string): [number, number] => {
      const n = b26.find((c) => c.id === id)!;
      return [n.offset + 4, n.offset + 4 + n.length];
    };
    const [p0, p1] = at('01');
    const [m0, m1] = at('02');
    for (let i = 0; i < A.length; i++) {
      if (A[i] === B[i]) continue;
      expect((i >= p0 + 8 && i < p1) || (i >= m0 && i < m1) || i >= A.length - 4, `byte ${i} changed`).toBe(true);
    }
  });

  it('keeps the merchant name, NMID and acquirer; is deterministic per seed and differs across seeds', () => {
    const ia = info(A);
    const ib = info(B);
    expect(ib.merchantName).toBe(ia.merchantName);
    expect(ib.merchantCity).toBe(ia.merchantCity);
    expect(JSON.stringify(ib.national)).toBe(JSON.stringify(ia.national));
    expect(ib.accounts[0]!.guid).toBe(ia.accounts[0]!.guid);
    expect(ib.accounts[0]!.pan).not.toBe(ia.accounts[0]!.pan);
    expect(tamper(A)).toBe(B);
    expect(new Set([1, 2, 3, 4, 5].map((s) => tamper(A, s))).size).toBe(5);
  });

  it('works on every static Indonesian payload of the dev corpus: valid CRC, same length, name and NMID', () => {
    const corpus = JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as {
      payload: string;
      crc_valid: boolean;
      kind: string;
    }[];
    const ours = corpus.filter((e) => e.crc_valid && e.kind === 'static' && e.payload.includes('0118936'));
    expect(ours.length).toBeGreaterThan(15);
    for (const { payload } of ours) {
      const t = tamper(payload);
      expect(parse(t).crc.valid).toBe(true);
      expect([t.length, info(t).merchantName, info(t).national?.nmid]).toEqual([payload.length, info(payload).merchantName, info(payload).national?.nmid]);
      expect(info(t).accounts[0]!.pan).not.toBe(info(payload).accounts[0]!.pan);
    }
  });
});

describe('pictures: zxing-wasm finds exactly the texts each one claims', () => {
  const cases: { l: Layout; o: BuildOptions }[] = [
    ...LAYOUTS.map((l) => ({ l, o: {} })),
    ...EXTRA_LAYOUTS.map((l) => ({ l, o: {} })),
    // Every layout also as a JPEG of quality 80.
    ...LAYOUTS.filter((l) => l.name !== 'noisy-jpeg').map((l) => ({ l, o: { format: 'jpeg' } })),
  ];
  for (const { l: layout, o } of cases) {
    it(`${layout.name}${o.format ? ` as ${o.format}` : ''}: ${layout.description}`, async () => {
      const p = await layout.build(A, B, o);
      if (o.format) expect(p.format).toBe(o.format);
      const found = await read(p);
      expect(texts(found)).toEqual([...p.expected].sort());
      expect(found.every((r) => r.isValid)).toBe(true);
      // 400-1400 px on the long side (a single code alone is the smallest, 422 px).
      expect(Math.max(p.width, p.height)).toBeGreaterThanOrEqual(400);
      expect(Math.max(p.width, p.height)).toBeLessThanOrEqual(1400);
      expect(p.paymentCodes).toBe(layout.twoCodes ? 2 : 1);
      if (layout.twoCodes) expect(p.expected).toEqual(expect.arrayContaining([A, B]));
      // Every symbol found lies in the box the picture says its text is in.
      for (const r of found) {
        const boxes = p.codes.filter((c) => c.text === r.text);
        const { topLeft, topRight, bottomRight, bottomLeft } = r.position;
        const inside = (c: (typeof boxes)[number]): boolean =>
          [topLeft, topRight, bottomRight, bottomLeft].every((q) => q.x >= c.x - 2 && q.x <= c.x + c.width + 2 && q.y >= c.y - 2 && q.y <= c.y + c.height + 2);
        expect(boxes.some(inside), `${r.text.slice(-8)} where the picture says`).toBe(true);
      }
    });
  }

  it("overlapping*: B spares A's three finder patterns, and A alone (B's box blanked) still reads", async () => {
    for (const layout of [...LAYOUTS, ...EXTRA_LAYOUTS].filter((l) => l.name.startsWith('overlapping'))) {
      const p = await layout.build(A, B);
      const a = p.codes.find((c) => c.text === A)!;
      const b = p.codes.find((c) => c.text === B)!;
      const n = qrMatrix(A, 'H').n;
      const m = a.width / (n + 8);
      // Finder patterns with their separators: 8×8 modules at three corners, inside the quiet zone.
      const finders = [
        [0, 0],
        [n - 8, 0],
        [0, n - 8],
      ].map(([c, r]) => ({ x: a.x + (4 + c!) * m, y: a.y + (4 + r!) * m, w: 8 * m }));
      for (const f of finders) expect(f.x + f.w <= b.x || f.y + f.w <= b.y, `${layout.name}: finder at ${f.x},${f.y}`).toBe(true);
      // Blank B's box (as a reader that found B would) and read A again.
      const px = await pixels(p);
      for (let y = Math.max(0, b.y); y < Math.min(px.height, b.y + b.height); y++)
        px.data.fill(255, (y * px.width + Math.max(0, b.x)) * 4, (y * px.width + Math.min(px.width, b.x + b.width)) * 4);
      const rest = await scan(px);
      expect(texts(rest), layout.name).toEqual([A]);
    }
  });

  it('the layouts are in the picture order they name', async () => {
    expect((await LAYOUTS.find((l) => l.name === 'side-by-side-ab')!.build(A, B)).expected).toEqual([A, B]);
    expect((await LAYOUTS.find((l) => l.name === 'side-by-side-ba')!.build(A, B)).expected).toEqual([B, A]);
    expect((await LAYOUTS.find((l) => l.name === 'stacked')!.build(A, B)).expected).toEqual([A, B]);
    expect((await LAYOUTS.find((l) => l.name === 'url-beside')!.build(A, B)).expected).toEqual([MENU_URL, A]);
    const twice = await LAYOUTS.find((l) => l.name === 'same-twice')!.build(A, B);
    expect([twice.codes.length, twice.expected.length]).toEqual([2, 1]);
  });

  it('is deterministic: the same bytes twice', async () => {
    for (const name of ['noisy-jpeg', 'overlapping']) {
      const l = LAYOUTS.find((x) => x.name === name)!;
      expect((await l.build(A, B)).bytes.equals((await l.build(A, B)).bytes)).toBe(true);
    }
  });

  it('many-9: nine different payment codes (one more than the cap of 8), all readable', async () => {
    const p = await manyCodesPicture(A, 9);
    expect(p.expected.length).toBe(9);
    expect(p.paymentCodes).toBe(9);
    expect(texts(await read(p))).toEqual([...p.expected].sort());
  });

  it('bom: the symbol holds EF BB BF then the payload; zxing-wasm drops the BOM from its text', async () => {
    const p = await bomPicture(A);
    expect(p.expected).toEqual([`\uFEFF${A}`]);
    const [r, ...rest] = await read(p);
    expect(rest).toEqual([]);
    expect([...r!.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(r!.bytes)).toBe(`\uFEFF${A}`);
    expect(r!.text).toBe(A);
  });

  it('crlf: the symbol holds the payload then CR LF, and zxing-wasm keeps them', async () => {
    const p = await crlfPicture(A);
    expect(p.expected).toEqual([`${A}\r\n`]);
    expect(texts(await read(p))).toEqual([`${A}\r\n`]);
    expect(p.paymentCodes).toBe(1);
  });
});
