// toPng / toSvg / toDataUrl / toTerminal: valid files other decoders read, options, and the round
// trip decodeImage(toPng(p)) === p.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Jimp } from 'jimp';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { build, parse } from '../src/index.js';
import { QrisError } from '../src/errors.js';
import { loadJsQr } from '../src/image/engines.js';
import { decodeImage, toDataUrl, toPng, toSvg, toTerminal } from '../src/image/index.js';
import { codeOf } from './expect-error.js';

const DEV_ALL = (JSON.parse(readFileSync(new URL('../fixtures/dev-payloads.json', import.meta.url), 'utf8')) as { payload: string }[]).map((e) => e.payload);
const wellFormed = (p: string): boolean => {
  try {
    parse(p, { verifyCrc: false });
    return true;
  } catch {
    return false;
  }
};
/** Dev-corpus payloads that are well-formed TLV (some have a wrong CRC); the rest are deliberately broken. */
const DEV = DEV_ALL.filter(wellFormed);
const BROKEN = DEV_ALL.filter((p) => !wellFormed(p));
const GENERATED = (JSON.parse(readFileSync(new URL('../fixtures/generated-payloads.json', import.meta.url), 'utf8')) as { payload: string }[]).map(
  (e) => e.payload,
);
const P = DEV[0]!;

/** Modules per side of P's QR at level M (qrcode picks the same version we render). */
const N = (QRCode.create(P, { errorCorrectionLevel: 'M' }) as unknown as { modules: { size: number } }).modules.size;

async function pixels(png: Uint8Array): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('toPng', () => {
  it('writes a PNG that sharp, jimp and jsQR read: default scale 8, margin 4, black on white', async () => {
    const png = toPng(P);
    expect(png).toBeInstanceOf(Uint8Array);
    const side = (N + 8) * 8;
    const px = await pixels(png);
    expect([px.width, px.height]).toEqual([side, side]);
    // Quiet zone white, top-left finder module black.
    expect(px.data[0]).toBe(255);
    expect(px.data[(4 * 8 * side + 4 * 8) * px.channels]).toBe(0);
    const j = await Jimp.fromBuffer(Buffer.from(png));
    expect([j.bitmap.width, j.bitmap.height]).toEqual([side, side]);
    const read = (await loadJsQr())(new Uint8ClampedArray(j.bitmap.data), side, side);
    expect(read?.data).toBe(P);
  });

  it('size picks the largest whole module scale that fits; margin and level change the layout', async () => {
    const a = await pixels(toPng(P, { size: 300 }));
    const scale = Math.floor(300 / (N + 8));
    expect(a.width).toBe((N + 8) * scale);
    const b = await pixels(toPng(P, { margin: 0, scale: 2 }));
    expect(b.width).toBe(N * 2);
    expect(b.data[0]).toBe(0); // the finder starts at the corner
    const h = await pixels(toPng(P, { errorCorrectionLevel: 'H', scale: 1, margin: 0 }));
    expect(h.width).toBeGreaterThan(N);
    const l = await pixels(toPng(P, { errorCorrection: 'L', scale: 1, margin: 0 }));
    expect(l.width).toBeLessThanOrEqual(N);
  });

  it('colours: a palette PNG with the given colours and transparency', async () => {
    const png = toPng(P, { scale: 2, color: { dark: '#1a2b3c', light: '#ffffff00' } });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // quiet zone transparent
    const at = (4 * 2 * info.width + 4 * 2) * 4;
    expect([...data.subarray(at, at + 4)]).toEqual([0x1a, 0x2b, 0x3c, 255]);
  });

  it('draws exactly the matrix qrcode itself makes (same version and mask choice) at every level', () => {
    for (const p of [...DEV, ...GENERATED]) {
      for (const level of ['L', 'M', 'Q', 'H'] as const) {
        const theirs = (QRCode.create(p, { errorCorrectionLevel: level }) as unknown as { modules: { size: number; data: Uint8Array } }).modules;
        const term = toTerminal(p, { errorCorrectionLevel: level, margin: 0, background: 'light' });
        // Rebuild the matrix from the half-block text: top half = even row, bottom = odd row.
        const rows = term.trimEnd().split('\n');
        const ours = new Uint8Array(theirs.size * theirs.size);
        rows.forEach((line, y2) =>
          [...line].forEach((ch, x) => {
            if (ch === '█' || ch === '▀') ours[2 * y2 * theirs.size + x] = 1;
            if ((ch === '█' || ch === '▄') && 2 * y2 + 1 < theirs.size) ours[(2 * y2 + 1) * theirs.size + x] = 1;
          }),
        );
        expect(rows.length).toBe(Math.ceil(theirs.size / 2));
        expect(Buffer.from(ours).equals(Buffer.from(theirs.data))).toBe(true);
      }
    }
  });

  it('rejects bad options and payloads with QrisError codes', () => {
    expect(codeOf(() => toPng(P, { size: 10 }))).toBe('BAD_OPTION');
    expect(codeOf(() => toPng(P, { scale: 0 }))).toBe('BAD_OPTION');
    expect(codeOf(() => toPng(P, { margin: -1 }))).toBe('BAD_OPTION');
    expect(codeOf(() => toPng(P, { errorCorrectionLevel: 'X' as 'L' }))).toBe('BAD_OPTION');
    expect(codeOf(() => toPng(P, { color: { dark: 'black' } }))).toBe('BAD_OPTION');
    expect(codeOf(() => toPng(''))).toBe('EMPTY_INPUT');
    expect(codeOf(() => toPng(42 as unknown as string))).toBe('NOT_A_STRING');
    expect(codeOf(() => toPng('9'.repeat(8000)))).toBe('TOO_LONG');
  });
});

describe('round trip', () => {
  it('decodeImage(toPng(p)) returns p for every well-formed dev-corpus and generated payload (default engine)', async () => {
    expect(DEV.length).toBeGreaterThan(40);
    for (const p of [...DEV, ...GENERATED]) {
      const r = await decodeImage(toPng(p), { engine: 'jimp' });
      expect(r.payload).toBe(p);
      expect(r.format).toBe('png');
      expect(r.crc.valid).toBe(parse(p, { verifyCrc: false }).crc.valid);
    }
  }, 60_000);

  it('malformed corpus payloads decode to IMAGE_NOT_EMVCO carrying the text read; a wrong CRC fails only with strictCrc', async () => {
    expect(BROKEN.length).toBeGreaterThan(0);
    for (const p of BROKEN) {
      const e = await decodeImage(toPng(p), { engine: 'jimp' }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(QrisError);
      expect((e as QrisError).code).toBe('IMAGE_NOT_EMVCO');
      expect((e as QrisError).actual).toBe(p);
    }
    const badCrc = DEV.find((p) => !parse(p, { verifyCrc: false }).crc.valid)!;
    const png = toPng(badCrc);
    expect((await decodeImage(png)).crc.valid).toBe(false);
    await expect(decodeImage(png, { strictCrc: true })).rejects.toMatchObject({ code: 'IMAGE_NOT_EMVCO', tag: '63' });
  }, 60_000);

  it('decodeImage(toPng(p)) === p for built payloads (property, both engines)', async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9 .]{1,25}$/).filter((s) => s.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(
        name,
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.constantFrom('L', 'M', 'Q', 'H'),
        fc.boolean(),
        async (merchantName, amount, level, accelerated) => {
          const p = build({
            merchantName,
            merchantCity: 'JAKARTA',
            postalCode: '10110',
            mcc: '5812',
            amount: String(amount),
            accounts: [{ guid: 'ID.CO.QRIS.WWW', pan: '936000140001287667', merchantId: 'ID1021081861606', criteria: 'UMI' }],
          });
          const r = await decodeImage(toPng(p, { errorCorrectionLevel: level, scale: 3 }), { engine: accelerated ? 'accelerated' : 'jimp' });
          expect(r.payload).toBe(p);
          expect(r.crc.valid).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});

describe('toSvg, toDataUrl, toTerminal', () => {
  it('toSvg is an SVG document sharp renders to the same code', async () => {
    const svg = toSvg(P, { scale: 4 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${N + 8} ${N + 8}"`);
    expect(svg).toContain(`width="${(N + 8) * 4}"`);
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    expect((await decodeImage(png, { engine: 'jimp' })).payload).toBe(P);
    expect(toSvg(P, { color: { dark: '#ff000080', light: '#0000' } })).toContain('fill-opacity');
  });

  it('toDataUrl: PNG by default, SVG on request, both decodable', async () => {
    const url = toDataUrl(P);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect((await decodeImage(url, { engine: 'jimp' })).payload).toBe(P);
    const svgUrl = toDataUrl(P, { type: 'svg' });
    expect(svgUrl.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(svgUrl.slice(svgUrl.indexOf(',') + 1), 'base64').toString('utf8')).toBe(toSvg(P));
    expect(codeOf(() => toDataUrl(P, { type: 'gif' as 'png' }))).toBe('BAD_OPTION');
  });

  it('toTerminal draws two module rows per line with half blocks, on dark and light backgrounds', () => {
    const dark = toTerminal(P);
    const lines = dark.trimEnd().split('\n');
    const total = N + 4;
    expect(lines.length).toBe(Math.ceil(total / 2));
    for (const l of lines) expect([...l].length).toBe(total);
    expect(/^[ ▀▄█]+$/.test(lines.join(''))).toBe(true);
    // Light modules are ink on a dark terminal: the quiet zone row is full blocks.
    expect(lines[0]).toBe('█'.repeat(total));
    expect(toTerminal(P, { background: 'light' }).split('\n')[0]).toBe(' '.repeat(total));
    expect(toTerminal(P, { margin: 0 }).split('\n')[0]!.length).toBe(N);
    expect(codeOf(() => toTerminal(P, { background: 'blue' as 'dark' }))).toBe('BAD_OPTION');
  });
});
