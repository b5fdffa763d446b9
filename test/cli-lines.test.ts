/**
 * The chunked batch line reader (src/cli/lines.ts) against readline, the reader it replaced: the
 * same lines, numbered the same, for any bytes cut into any chunks; and the cap on a line's length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type BatchLine } from '../src/cli/lines.js';
import { readlineLines } from './cli-batch-reference.js';
import dev from '../fixtures/dev-payloads.json' with { type: 'json' };
import generated from '../fixtures/generated-payloads.json' with { type: 'json' };

function split(chunks: readonly Buffer[], maxLineBytes?: number): BatchLine[] {
  const s = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
  const out: BatchLine[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const asText = (lines: readonly BatchLine[]) =>
  lines.map((l) => (l.kind === 'text' ? { number: l.number, text: l.text } : { number: l.number, overlong: l.bytes }));

// Bytes that matter for line cutting and decoding: terminators, spaces, a BOM, multi-byte UTF-8
// (whole and cut short), and bytes that are never valid UTF-8.
const PIECES = ['\n', '\r', '\r\n', '\n\r', ' ', '\t', 'a', '0', 'é', '€', '😀', '\uFEFF', '\u00a0', '\u2028'].map((s) => Buffer.from(s));
PIECES.push(Buffer.from([0xe2, 0x82]), Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xf0, 0x9f, 0x98]));
const bytesArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => Buffer.concat(parts));

describe('LineSplitter gives the lines readline gives', () => {
  it('for any bytes cut into any chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(bytesArb, fc.array(fc.nat(), { maxLength: 8 }), async (bytes, at) => {
        const chunks = cut(bytes, at);
        // readline drops an unfinished UTF-8 sequence at the very end of unterminated input (below);
        // a terminator added there makes it decode the tail, as the splitter always does.
        const terminated = bytes.length === 0 || bytes.at(-1) === 10 || bytes.at(-1) === 13;
        expect(asText(split(chunks))).toEqual(await readlineLines(terminated ? chunks : [...chunks, Buffer.from('\n')]));
      }),
      { numRuns: 400 },
    );
  });

  it('for the real corpus written with every line ending, one byte per chunk and in one chunk', async () => {
    const payloads = [...dev.map((e) => e.payload), ...generated.map((e) => e.payload)];
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = Buffer.from(payloads.join(eol) + eol + '  ' + payloads[0] + '  ');
      for (const chunks of [
        [bytes],
        cut(
          bytes,
          Array.from({ length: bytes.length }, (_, i) => i),
        ),
        cut(bytes, [1, 2, 3, 200, 201, 4095, 4096]),
      ]) {
        const ours = asText(split(chunks));
        expect(ours).toEqual(await readlineLines(chunks));
        expect(ours.length).toBe(payloads.length + 1);
      }
    }
  });

  it('the one difference: an unfinished UTF-8 sequence ending unterminated input is a U+FFFD line, not dropped', async () => {
    const bytes = [Buffer.from('0002'), Buffer.from([0xe2, 0x82])];
    expect(await readlineLines(bytes)).toEqual([{ number: 1, text: '0002' }]); // readline loses the two bytes
    expect(asText(split(bytes))).toEqual([{ number: 1, text: '0002\ufffd' }]); // kept: the line then fails visibly
  });

  it('a file without a final terminator still gives its last line; empty input gives none', async () => {
    expect(asText(split([Buffer.from('a\nb')]))).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'b' },
    ]);
    expect(split([])).toEqual([]);
    expect(asText(split([Buffer.from('a\r'), Buffer.from('\nb')]))).toEqual(await readlineLines([Buffer.from('a\r'), Buffer.from('\nb')]));
  });
});

describe('the line cap', () => {
  it('a line over the cap comes out as overlong with its length and first bytes; the lines around it are intact', () => {
    const long = 'X'.repeat(10_000);
    const bytes = Buffer.from(`first\n${long}\nlast`);
    for (const chunks of [[bytes], cut(bytes, [3, 100, 4000, 4097, 9000])]) {
      const lines = split(chunks, 4096);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toEqual({ kind: 'text', number: 1, text: 'first' });
      expect(lines[1]).toMatchObject({ kind: 'overlong', number: 2, bytes: 10_000 });
      expect((lines[1] as { head: string }).head.length).toBeLessThanOrEqual(256);
      expect((lines[1] as { head: string }).head).toMatch(/^X+$/);
      expect(lines[2]).toEqual({ kind: 'text', number: 3, text: 'last' });
    }
  });

  it('exactly the cap is a line; one byte more is not (property over the cap and the chunking)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.nat(), { maxLength: 5 }), (max, at) => {
        const bytes = Buffer.from('a'.repeat(max) + '\n' + 'b'.repeat(max + 1) + '\r\n');
        const lines = split(cut(bytes, at), max);
        expect(lines.map((l) => l.kind)).toEqual(['text', 'overlong']);
        expect(lines[1]).toMatchObject({ number: 2, bytes: max + 1 });
      }),
    );
  });

  it('holds at most the cap of an over-long line, however it is chunked', () => {
    const s = new LineSplitter({ maxLineBytes: 4096 });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 200; i++) expect(s.push(chunk)).toEqual([]); // 13 MB, no terminator yet
    const held = (s as unknown as { parts: Buffer[] }).parts.reduce((n, b) => n + b.length, 0);
    expect(held).toBeLessThanOrEqual(4096);
    expect(s.push(Buffer.from('\n'))).toMatchObject([{ kind: 'overlong', number: 1, bytes: 200 * 64 * 1024 }]);
  });
});
