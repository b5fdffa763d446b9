import { writeFile } from 'node:fs/promises';
import { parse } from '../../index.js';
import { bool, intOption, str, UsageError, type Command } from '../args.js';
import { json } from '../format.js';
import { resolveInput } from '../input.js';
import { aboutPayload } from '../payload-error.js';
import { renderPng, renderSvg, renderTerminal, type RenderOptions } from '../render.js';

export const encodeCommand: Command = {
  spec: {
    name: 'encode',
    summary: 'Draw a QRIS payload as a QR image (PNG or SVG), or in the terminal.',
    usage: ['encode <payload> -o FILE [--format png|svg] [--size PX] [--margin N] [--ecl L|M|Q|H]', 'encode <payload> --terminal'],
    details: [
      '<payload> is a payload, a file holding one, or - for stdin. The payload is checked first',
      '(structure and CRC): a broken code is refused (exit 1) rather than drawn.',
      'The format follows the file extension (.png, .svg) unless --format is given; -o - writes',
      'the image to stdout.',
    ].join('\n'),
    options: {
      output: { type: 'string', short: 'o', value: 'FILE', description: 'Where to write the image (- for stdout).' },
      format: { type: 'string', short: 'f', value: 'png|svg', description: 'Image format (default: from the extension, else png).' },
      size: { type: 'string', value: 'PX', description: 'Image width in pixels.' },
      margin: { type: 'string', value: 'N', description: 'Quiet zone in modules.' },
      ecl: { type: 'string', value: 'L|M|Q|H', description: 'Error correction level (default M).' },
      terminal: { type: 'boolean', short: 't', description: 'Draw the QR in the terminal.' },
      json: { type: 'boolean', description: 'Print { output, format, bytes } as JSON.' },
    },
    positionals: [1, 1],
    examples: [
      'qris encode 00020101021226...6304ABCD -o pay.png',
      'qris encode payload.txt -o pay.svg --margin 2',
      'qris encode payload.txt --size 600 --ecl Q -o - > pay.png',
      'qris encode payload.txt --terminal',
    ],
  },
  async run({ values, positionals }, io) {
    const output = str(values, 'output');
    const terminal = bool(values, 'terminal');
    if (output === undefined && !terminal) throw new UsageError('Give -o FILE (or --terminal).', 'encode');
    let format = str(values, 'format')?.toLowerCase();
    if (format === undefined) format = output?.toLowerCase().endsWith('.svg') ? 'svg' : 'png';
    if (format !== 'png' && format !== 'svg') throw new UsageError(`--format must be png or svg; got ${JSON.stringify(format)}.`, 'encode');
    const ecl = str(values, 'ecl')?.toUpperCase();
    if (ecl !== undefined && ecl !== 'L' && ecl !== 'M' && ecl !== 'Q' && ecl !== 'H') throw new UsageError('--ecl must be L, M, Q or H.', 'encode');
    const size = intOption(values, 'size', 21, 8192, 'encode');
    const margin = intOption(values, 'margin', 0, 64, 'encode');
    const options: RenderOptions = {
      ...(size !== undefined ? { size } : {}),
      ...(margin !== undefined ? { margin } : {}),
      ...(ecl !== undefined ? { errorCorrection: ecl } : {}),
    };

    const input = await resolveInput(positionals[0]!, 'encode', io.stdin);
    if (input.kind === 'image') throw new UsageError('encode draws a payload; to read an image use: qris decode <image>', 'encode');
    const payload = aboutPayload(input.payload, () => parse(input.payload).payload);

    let bytes: Uint8Array | undefined;
    if (output !== undefined) {
      bytes = format === 'svg' ? Buffer.from(await renderSvg(payload, options)) : await renderPng(payload, options);
      if (output === '-') io.stdout.write(bytes);
      else await writeFile(output, bytes);
    }
    if (terminal) (output === '-' ? io.stderr : io.stdout).write(await renderTerminal(payload));
    if (output !== undefined && output !== '-') {
      io.stdout.write(bool(values, 'json') ? json({ output, format, bytes: bytes!.length }) : `wrote ${output} (${format}, ${bytes!.length} bytes)\n`);
    }
    return 0;
  },
};
