import { bool, type Command } from '../args.js';
import { json } from '../format.js';
import { decodeImageBytes, resolveInput } from '../input.js';
import { decodeAllCodes } from '../render.js';

export const decodeCommand: Command = {
  spec: {
    name: 'decode',
    summary: 'Read the QRIS payload from an image (PNG, JPEG, GIF, WebP, BMP).',
    usage: ['decode <image> [--json] [--all]'],
    details:
      'Prints the payload text alone (ready for a pipe); --json adds the image format and size. Every code in the picture is looked for: ' +
      'a picture with two or more different payment codes (a second sticker?) is refused with IMAGE_MULTIPLE_CODES; --all prints every code instead.',
    options: {
      json: { type: 'boolean', description: 'Print { payload, format, width, height, codes } as JSON.' },
      all: { type: 'boolean', description: 'Print every code in the picture, one per line (with --json: { codes }), payment codes or not.' },
    },
    positionals: [1, 1],
    examples: ['qris decode sticker.jpg', 'qris decode - < photo.png', 'qris decode sticker.jpg | qris info -'],
  },
  async run({ values, positionals }, io) {
    const input = await resolveInput(positionals[0]!, 'decode', io.stdin);
    if (input.kind !== 'image') {
      throw new NotAnImageError(
        input.source === 'argument'
          ? 'The input is text, not an image file. To read a payload use: qris info <payload>'
          : `${input.source} is not a PNG, JPEG, GIF, WebP or BMP image.`,
      );
    }
    if (bool(values, 'all')) {
      const all = await decodeAllCodes(input.bytes);
      const codes = all.codes.map((c) => ({ text: c.text, kind: c.kind, copies: c.copies, box: c.position.box }));
      io.stdout.write(
        bool(values, 'json')
          ? json({ codes, format: all.format, width: all.width, height: all.height, source: input.source })
          : codes.map((c) => c.text + '\n').join(''),
      );
      return 0;
    }
    const r = await decodeImageBytes(input.bytes);
    io.stdout.write(
      bool(values, 'json') ? json({ payload: r.payload, format: r.format, width: r.width, height: r.height, source: input.source }) : r.payload + '\n',
    );
    return 0;
  },
};

/** `decode` was given something that is not an image (invalid input: exit 1). */
export class NotAnImageError extends Error {
  override readonly name = 'NotAnImageError';
  readonly code = 'NOT_AN_IMAGE';
}
