import { bool, intOption, str, type Command } from '../args.js';

export const serveCommand: Command = {
  spec: {
    name: 'serve',
    summary: 'Run an offline HTTP server that answers like the BAYAR GG QRIS API.',
    usage: ['serve [--port N] [--host H] [--api-key K] [--allow-image-url] [--max-body BYTES] [--workers N]'],
    details: [
      'Endpoints (point an integration\'s base URL at http://HOST:PORT/api):',
      '  POST /api/qris-convert.php   JSON { qris | image | image_url, nominal } or multipart (nominal + image)',
      '                               -> { success, qris, qr_image_url, merchant_name, amount }',
      '  GET|POST /api/qris-info.php  qris -> { success, merchant_name, merchant_city, amount, is_dynamic, info }',
      '  GET /api/qr.png?data=...     the QR image of a payload',
      'Errors: { success: false, error, message } with 400, 401, 404, 405, 413, 415 or 500.',
      'With --api-key (or QRIS_SERVE_API_KEY) every /api call but qr.png needs a matching X-API-Key.',
      'Images are decoded in a pool of worker threads (one per core by default).',
      'The listening URL is printed on stdout; SIGINT / SIGTERM stop the server gracefully.',
    ].join('\n'),
    options: {
      port: { type: 'string', short: 'p', value: 'N', description: 'Port to listen on; 0 picks a free one (default 8080).' },
      host: { type: 'string', value: 'H', description: 'Address to bind (default 127.0.0.1).' },
      'api-key': { type: 'string', value: 'K', description: 'Require X-API-Key: K (default: $QRIS_SERVE_API_KEY, else none).' },
      'allow-image-url': { type: 'boolean', description: 'Let callers send image_url for the server to fetch (off by default).' },
      'max-body': { type: 'string', value: 'BYTES', description: 'Largest request body accepted (default 10485760).' },
      workers: { type: 'string', value: 'N', description: 'Image decoding threads (default: number of cores).' },
    },
    positionals: [0, 0],
    examples: [
      'qris serve --port 8080',
      'qris serve --host 0.0.0.0 --port 3000 --api-key "$KEY"',
      "curl -s localhost:8080/api/qris-convert.php -H 'content-type: application/json' -d '{\"qris\":\"000201...\",\"nominal\":25000}'",
      'curl -s localhost:8080/api/qris-convert.php -F nominal=25000 -F image=@sticker.jpg',
    ],
  },
  async run({ values }, io) {
    const port = intOption(values, 'port', 0, 65535, 'serve') ?? 8080;
    const maxBody = intOption(values, 'max-body', 1024, 1024 ** 3, 'serve');
    const workers = intOption(values, 'workers', 1, 64, 'serve');
    const apiKey = str(values, 'api-key') ?? (io.env['QRIS_SERVE_API_KEY'] || undefined);
    const { startServer } = await import('../serve/server.js');
    const server = await startServer({
      port,
      host: str(values, 'host') ?? '127.0.0.1',
      ...(apiKey !== undefined ? { apiKey } : {}),
      allowImageUrl: bool(values, 'allow-image-url'),
      ...(maxBody !== undefined ? { maxBody } : {}),
      ...(workers !== undefined ? { workers } : {}),
    });
    io.stdout.write(`qris serve listening on ${server.url}\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        io.stderr.write(`${signal}: shutting down\n`);
        void server.close().then(resolve, resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      // When started with an IPC channel (the load benchmark), answer memory probes.
      if (process.send) {
        process.on('message', (msg: unknown) => {
          if (msg && typeof msg === 'object' && (msg as { type?: unknown }).type === 'memory') {
            const gc = (msg as { gc?: unknown }).gc === true;
            if (gc && typeof globalThis.gc === 'function') globalThis.gc();
            void server.pool.memory(gc).then((workers) => process.send?.({ type: 'memory', memory: process.memoryUsage(), workers }));
          } else if (msg && typeof msg === 'object' && (msg as { type?: unknown }).type === 'stop') {
            stop('stop');
          }
        });
        process.on('disconnect', () => stop('disconnect'));
      }
    });
    if (process.connected) process.disconnect();
    io.stderr.write('stopped\n');
    return 0;
  },
};
