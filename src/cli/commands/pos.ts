import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bool, str, UsageError, type Command } from '../args.js';
import { json } from '../format.js';
import { posDir } from '../serve/static.js';

/** The files of the built cashier page, in the order they are copied. */
const FILES = ['index.html', 'sw.js'] as const;

export const posCommand: Command = {
  spec: {
    name: 'pos',
    summary: 'Write the offline cashier page (one HTML file + its service worker) to a folder.',
    usage: ['pos --out DIR'],
    details: [
      "The page `qris serve` shows at /: set up the shop's static QRIS once, then type an amount",
      'per sale to show a dynamic QRIS, and mark it paid once the money is in the wallet app. It',
      'converts in the browser. Put DIR on any static https host (GitHub Pages, Netlify, your own',
      'nginx with a certificate): the service worker (offline use) and the camera need a secure',
      'context, which plain http on a LAN address is not. Opening DIR/index.html from disk works, but',
      'every file:// page of that browser profile shares its storage. Existing files of the same',
      'names in DIR are replaced.',
    ].join('\n'),
    options: {
      out: { type: 'string', short: 'o', value: 'DIR', description: 'Folder to write index.html and sw.js to (created if missing).' },
      json: { type: 'boolean', description: 'Print { dir, files: [{ name, bytes }] } as JSON.' },
    },
    positionals: [0, 0],
    examples: ['qris pos --out public/', 'npx qris pos -o /var/www/kasir'],
  },
  async run({ values }, io) {
    const out = str(values, 'out');
    if (out === undefined || out === '') throw new UsageError('Give --out DIR (where to write the page).', 'pos');
    const from = await posDir();
    await mkdir(out, { recursive: true });
    const files: { name: string; bytes: number }[] = [];
    for (const name of FILES) {
      const source = join(from, name);
      try {
        await stat(source);
      } catch {
        throw Object.assign(new Error(`The cashier page is not built (${source} is missing): run \`npm run build:pos\`.`), { code: 'ENOENT' });
      }
      await copyFile(source, join(out, name));
      files.push({ name, bytes: (await stat(join(out, name))).size });
    }
    if (bool(values, 'json')) io.stdout.write(json({ dir: out, files }));
    else io.stdout.write(files.map((f) => `wrote ${join(out, f.name)} (${f.bytes} bytes)\n`).join(''));
    return 0;
  },
};
