import { writeFile } from 'node:fs/promises';
import { checkToDynamicOptions, info } from '../../index.js';
import { bool, exclusive, intOption, str, UsageError, type Command } from '../args.js';
import { runBatch } from '../batch.js';
import { convertOptions, makeConverter } from '../converter.js';
import { block, displayAmount, json } from '../format.js';
import { resolveInput } from '../input.js';
import { DEFAULT_MAX_LINE_BYTES } from '../lines.js';
import { aboutPayload } from '../payload-error.js';
import { renderPng, renderSvg, renderTerminal } from '../render.js';

export const convertCommand: Command = {
  spec: {
    name: 'convert',
    summary: 'Turn a static QRIS into a dynamic one for an amount (optionally with a fee), and draw it.',
    usage: [
      'convert <input> --amount N [--fee-fixed N | --fee-percent P | --tip] [--reference R] [--png FILE | --svg FILE | --terminal] [--json] [--remote]',
      'convert --batch FILE --amount N [-o FILE] [--max-line-bytes N] [--remote]',
    ],
    details: [
      '<input> is a payload, a file holding one, an image file, or - for stdin.',
      'Batch mode reads one payload per line (FILE or - for stdin) and writes one NDJSON object per',
      'line: {"line":N,"ok":true,"qris":...} or {"line":N,"ok":false,"error":{code,message,offset,tag}}.',
      'It never stops at a bad line; the exit code is 1 when any line failed. A progress bar is drawn',
      'on stderr when stderr is a terminal. FILE may be a FIFO or <(command). -o FILE is written to a',
      'temporary file renamed onto FILE at the end, so a failed run leaves FILE as it was; -o naming the',
      'batch input is refused (exit 2). Error records quote the first 40 characters of their line.',
      '--remote lets a code that cannot be read locally (an unreadable image) go to the BAYAR GG API,',
      'with the key from the BAYAR_API_KEY environment variable (BAYAR_BASE_URL overrides the URL).',
    ].join('\n'),
    options: {
      amount: { type: 'string', short: 'a', value: 'N', description: 'Transaction amount (ID 54), e.g. 25000 or 25000.50. Required.' },
      decimals: { type: 'string', value: '0|2', description: 'Decimals to write the amount with.' },
      'max-amount': {
        type: 'string',
        value: 'N|none',
        description: "Largest amount accepted (default 10000000: Bank Indonesia's limit for one QRIS payment); none lifts it.",
      },
      'fee-fixed': { type: 'string', value: 'N', description: 'Fixed convenience fee (55 = 02, 56 = N).' },
      'fee-percent': { type: 'string', value: 'P', description: 'Percentage convenience fee (55 = 03, 57 = P).' },
      tip: { type: 'boolean', description: 'Let the payer enter a tip (55 = 01).' },
      reference: { type: 'string', value: 'R', description: 'Reference label (62/05).' },
      bill: { type: 'string', value: 'B', description: 'Bill number (62/01).' },
      'terminal-label': { type: 'string', value: 'T', description: 'Terminal label (62/07).' },
      'replace-amount': { type: 'boolean', description: 'Accept an already dynamic code and replace its amount.' },
      png: { type: 'string', value: 'FILE', description: 'Write the dynamic QR as a PNG image.' },
      svg: { type: 'string', value: 'FILE', description: 'Write the dynamic QR as an SVG image.' },
      terminal: { type: 'boolean', short: 't', description: 'Draw the dynamic QR in the terminal.' },
      quiet: { type: 'boolean', short: 'q', description: 'Print only the converted payload.' },
      json: { type: 'boolean', description: 'Print the result as JSON.' },
      remote: { type: 'boolean', description: 'Allow the BAYAR GG fallback (needs BAYAR_API_KEY).' },
      batch: { type: 'string', value: 'FILE', description: 'Convert one payload per line of FILE (- for stdin) to NDJSON.' },
      output: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        description: 'Batch mode: write the NDJSON to FILE instead of stdout (replaced at the end; never the input).',
      },
      'max-line-bytes': {
        type: 'string',
        value: 'N',
        description: `Batch mode: longest line read; longer ones get a LINE_TOO_LONG record (default ${DEFAULT_MAX_LINE_BYTES}).`,
      },
    },
    positionals: [0, 1],
    examples: [
      'qris convert 00020101021126570011ID.DANA.WWW...6304ABCD --amount 25000',
      'qris convert sticker.jpg --amount 25000 --fee-fixed 1000 --png pay.png',
      'qris convert payload.txt -a 15000.50 --decimals 2 --reference INV-042 --terminal',
      'qris convert - --amount 10000 --quiet < payload.txt',
      'qris convert --batch payloads.txt --amount 10000 -o converted.ndjson',
      'BAYAR_API_KEY=... qris convert blurry-photo.jpg --amount 5000 --remote',
    ],
  },
  async run({ values, positionals }, io) {
    const batch = str(values, 'batch');
    if (batch !== undefined) {
      if (positionals.length) throw new UsageError('Give either <input> or --batch FILE, not both.', 'convert');
      exclusive(values, ['png', 'svg', 'terminal', 'batch'], 'convert');
      // Bad options (an invalid amount or fee) would fail every line: report them once, up front.
      checkToDynamicOptions(convertOptions(values));
      const maxLineBytes = intOption(values, 'max-line-bytes', 64, 1024 * 1024, 'convert');
      const convert = await makeConverter(values, io.env);
      return runBatch({ file: batch, outFile: str(values, 'output'), convert, ...(maxLineBytes !== undefined ? { maxLineBytes } : {}) }, io);
    }
    if (!positionals.length) throw new UsageError('Missing <input> (or --batch FILE).', 'convert');
    exclusive(values, ['png', 'svg'], 'convert');
    exclusive(values, ['json', 'quiet'], 'convert');
    const convert = await makeConverter(values, io.env);
    const input = await resolveInput(positionals[0]!, 'convert', io.stdin);
    const result = await convert(input);
    const meta = aboutPayload(result.payload, () => info(result.payload));
    const png = str(values, 'png');
    const svg = str(values, 'svg');
    let written: { path: string; bytes: number; format: 'png' | 'svg' } | undefined;
    if (png !== undefined) {
      const bytes = await renderPng(result.payload);
      await writeFile(png, bytes);
      written = { path: png, bytes: bytes.length, format: 'png' };
    } else if (svg !== undefined) {
      const text = await renderSvg(result.payload);
      await writeFile(svg, text);
      written = { path: svg, bytes: Buffer.byteLength(text), format: 'svg' };
    }
    const drawing = bool(values, 'terminal') ? await renderTerminal(result.payload) : undefined;
    if (bool(values, 'json')) {
      io.stdout.write(
        json({
          qris: result.payload,
          source: result.source,
          verified: result.verified,
          merchantName: meta.merchantName,
          amount: meta.amount,
          ...(meta.tip ? { tip: meta.tip } : {}),
          ...(written ? { [written.format]: written.path } : {}),
        }),
      );
      if (drawing) io.stderr.write(drawing);
      return 0;
    }
    if (bool(values, 'quiet')) {
      io.stdout.write(result.payload + '\n');
      if (drawing) io.stderr.write(drawing);
      return 0;
    }
    io.stdout.write(
      block([
        ['Payload', result.payload],
        ['Merchant', meta.merchantName ?? ''],
        ['Amount', displayAmount(meta)],
        [
          'Source',
          result.verified === 'exact' ? result.source : `${result.source} (structure-only: only the server read the image; check the merchant before use)`,
        ],
        written ? [written.format.toUpperCase(), `${written.path} (${written.bytes} bytes)`] : false,
      ]),
    );
    if (drawing) io.stdout.write('\n' + drawing);
    return 0;
  },
};
