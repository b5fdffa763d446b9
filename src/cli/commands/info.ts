import { info } from '../../index.js';
import { bool, type Command } from '../args.js';
import { formatInfo, json } from '../format.js';
import { decodeImageBytes, resolveInput } from '../input.js';
import { aboutPayload } from '../payload-error.js';
import { cpmInfo, cpmInfoJson, formatCpmInfo, looksLikeCpm } from '../cpm.js';

export const infoCommand: Command = {
  spec: {
    name: 'info',
    summary: 'Show what a QRIS code holds: merchant, amount, accounts, CRC.',
    usage: ['info <input> [--json]'],
    details: [
      '<input> is a payload, a file holding one, an image file (PNG, JPEG, GIF, WebP, BMP), or - for stdin.',
      'A code with a wrong CRC is still shown, with exit code 1; a code that cannot be parsed is an',
      'error naming the tag and offset (exit code 1).',
    ].join('\n'),
    options: {
      json: { type: 'boolean', description: 'Print the info object as JSON.' },
    },
    positionals: [1, 1],
    examples: [
      'qris info 00020101021126570011ID.DANA.WWW...6304ABCD',
      'qris info sticker.jpg',
      'qris info --json payload.txt | jq .merchantName',
      'cat payload.txt | qris info -',
    ],
  },
  async run({ values, positionals }, io) {
    const input = await resolveInput(positionals[0]!, 'info', io.stdin);
    let payload: string;
    let image: Awaited<ReturnType<typeof decodeImageBytes>> | undefined;
    if (input.kind === 'image') {
      image = await decodeImageBytes(input.bytes);
      payload = image.payload;
    } else {
      payload = input.payload;
    }
    if (looksLikeCpm(payload)) {
      // A payer's code (EMVCo CPM, base64): its own reading, the PAN masked.
      const cpm = cpmInfo(payload); // its offsets count decoded bytes: no caret under the text
      io.stdout.write(bool(values, 'json') ? json({ mode: 'cpm', ...(cpmInfoJson(cpm) as object), payload }) : formatCpmInfo(cpm));
      return 0;
    }
    const result = aboutPayload(payload, () => info(payload));
    if (bool(values, 'json')) {
      io.stdout.write(json(image ? { ...result, payload, image: { format: image.format, width: image.width, height: image.height } } : { ...result, payload }));
    } else {
      const extra: [string, string][] = image ? [['Image', `${input.source} (${image.format ?? '?'}, ${image.width ?? '?'}x${image.height ?? '?'})`]] : [];
      io.stdout.write(formatInfo(result, extra));
    }
    // The code is shown either way, but a wrong CRC makes it one no app will pay: invalid input.
    if (!result.crc.valid) {
      if (!bool(values, 'json'))
        io.stderr.write(`error CRC_MISMATCH: the payload declares CRC ${result.crc.declared}, its content gives ${result.crc.computed}.\n`);
      return 1;
    }
    return 0;
  },
};
