import { bool, intOption, str, UsageError, type Command } from '../args.js';

export const serveCommand: Command = {
  spec: {
    name: 'serve',
    summary: 'Run an offline HTTP server that answers like the BAYAR GG QRIS API.',
    usage: [
      'serve [--port N] [--host H] [--tls-cert FILE --tls-key FILE] [--api-key K] [--public-url URL] [--allow-image-url] [--max-body BYTES] [--max-json BYTES] [--min-body-rate BYTES] [--body-grace MS] [--max-bodies-per-address N] [--workers N] [--log json]',
    ],
    details: [
      "Endpoints (point an integration's base URL at http://HOST:PORT/api):",
      '  POST /api/qris-convert.php   JSON { qris | image | image_url, nominal } or multipart (nominal + image)',
      '                               -> { success, qris, qr_image_url, merchant_name, amount }',
      '  GET|POST /api/qris-info.php  qris -> { success, merchant_name, merchant_city, amount, is_dynamic, info }',
      '  GET /api/qr.png?data=...     the QR image of a payload (size up to 1024)',
      '  GET /healthz                 { success: true, status: "ok" } for load balancers (no key)',
      'amount is always a number (0 when the code has none); merchant_name/city are strings.',
      'Errors: { success: false, error (the sentence), code, message } with 400, 401, 404, 405, 408,',
      '413, 415, 422, 429, 502, 503 or 500. 503 (with Retry-After) means a budget is full: request',
      'bodies buffered (64 MiB, 32 at once), images waiting to decode, downloads or drawings in',
      'progress; 429, one address sending more than --max-bodies-per-address bodies at once.',
      'With --api-key (or QRIS_SERVE_API_KEY) every /api call but qr.png needs a matching X-API-Key.',
      'Images are decoded in a pool of worker threads (cores - 1 by default, at least 1; images above',
      '16 MP refused), each task stopped after 15 s; a body that stalls 10 s is dropped, and one',
      'slower than --min-body-rate after --body-grace is cut (408), at once if its slot is wanted.',
      'WARNING --allow-image-url makes the server fetch URLs its callers choose. Loopback, private,',
      'link-local (cloud metadata), CGNAT, ULA and other non-public addresses are refused, for every',
      'redirect too, and the connection is pinned to the checked address; still, only turn it on when',
      'callers may make this host send GET requests to any public address.',
      'GET / is the cashier page. Phones on the shop Wi-Fi need https for its camera and offline use:',
      'give --tls-cert and --tls-key (PEM files) and open https://<this machine>:PORT/.',
      'The listening URL is printed on stdout; SIGINT / SIGTERM stop the server gracefully.',
    ].join('\n'),
    options: {
      port: { type: 'string', short: 'p', value: 'N', description: 'Port to listen on; 0 picks a free one (default 8080).' },
      host: { type: 'string', value: 'H', description: 'Address to bind (default 127.0.0.1).' },
      'api-key': { type: 'string', value: 'K', description: 'Require X-API-Key: K (default: $QRIS_SERVE_API_KEY, else none).' },
      'allow-image-url': {
        type: 'boolean',
        description: 'Let callers send image_url for the server to fetch: outbound GETs to public addresses they choose (off by default; see WARNING).',
      },
      'allow-private-urls': {
        type: 'boolean',
        description: 'With --allow-image-url, also reach loopback and private addresses (intranets, tests). Dangerous.',
      },
      'public-url': {
        type: 'string',
        value: 'URL',
        description: 'Origin put in qr_image_url, e.g. https://qris.example.com (default: the address the request came in on).',
      },
      'tls-cert': { type: 'string', value: 'FILE', description: 'Serve https with this PEM certificate (needs --tls-key).' },
      'tls-key': { type: 'string', value: 'FILE', description: 'The PEM private key of --tls-cert.' },
      log: { type: 'string', value: 'json', description: 'Log one JSON line per request to stderr (method, path, status, ms; never keys or bodies).' },
      'max-body': { type: 'string', value: 'BYTES', description: 'Largest request body accepted (default 10485760).' },
      'max-json': {
        type: 'string',
        value: 'BYTES',
        description: 'Largest JSON or form body parsed as is; a larger one must be a flat object, e.g. one base64 image (default 65536).',
      },
      'min-body-rate': {
        type: 'string',
        value: 'BYTES',
        description: 'Slowest request body accepted, in bytes per second, after --body-grace (default 1024).',
      },
      'body-grace': { type: 'string', value: 'MS', description: 'Time every request body gets before --min-body-rate counts (default 5000).' },
      'max-bodies-per-address': {
        type: 'string',
        value: 'N',
        description: 'Request bodies read at once from one non-loopback client address, an IPv6 /64 as one (default 16; 429 above).',
      },
      workers: { type: 'string', value: 'N', description: 'Image decoding threads (default: cores - 1, at least 1).' },
    },
    positionals: [0, 0],
    examples: [
      'qris serve --port 8080',
      'qris serve --host 0.0.0.0 --port 3000 --api-key "$KEY"',
      'qris serve --host 0.0.0.0 --port 8443 --tls-cert kasir.crt --tls-key kasir.key',
      'curl -s localhost:8080/api/qris-convert.php -H \'content-type: application/json\' -d \'{"qris":"000201...","nominal":25000}\'',
      'curl -s localhost:8080/api/qris-convert.php -F nominal=25000 -F image=@sticker.jpg',
    ],
  },
  async run({ values }, io) {
    const port = intOption(values, 'port', 0, 65535, 'serve') ?? 8080;
    const maxBody = intOption(values, 'max-body', 1024, 1024 ** 3, 'serve');
    const workers = intOption(values, 'workers', 1, 64, 'serve');
    const maxJsonBytes = intOption(values, 'max-json', 1024, 1024 ** 3, 'serve');
    const minBodyRate = intOption(values, 'min-body-rate', 1, 1024 ** 3, 'serve');
    const bodyGraceMs = intOption(values, 'body-grace', 100, 600_000, 'serve');
    const maxBodiesPerAddress = intOption(values, 'max-bodies-per-address', 1, 100_000, 'serve');
    const flagKey = str(values, 'api-key');
    const envKey = io.env['QRIS_SERVE_API_KEY'];
    // An empty key would accept an empty X-API-Key header: refuse it rather than open the server.
    if (flagKey === '') throw new UsageError('--api-key must not be empty (leave it out to run without a key).', 'serve');
    if (flagKey === undefined && envKey !== undefined && envKey === '')
      throw new UsageError('QRIS_SERVE_API_KEY is set but empty (unset it to run without a key).', 'serve');
    const apiKey = flagKey ?? envKey;
    const logMode = str(values, 'log');
    if (logMode !== undefined && logMode !== 'json') throw new UsageError(`--log takes json; got ${JSON.stringify(logMode.slice(0, 40))}.`, 'serve');
    const publicUrl = str(values, 'public-url');
    if (publicUrl !== undefined) {
      let u: URL | undefined;
      try {
        u = new URL(publicUrl);
      } catch {
        u = undefined;
      }
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username) {
        throw new UsageError(
          `--public-url must be an http(s) origin such as https://qris.example.com; got ${JSON.stringify(publicUrl.slice(0, 40))}.`,
          'serve',
        );
      }
    }
    const allowPrivate = bool(values, 'allow-private-urls');
    if (allowPrivate && !bool(values, 'allow-image-url')) throw new UsageError('--allow-private-urls only makes sense with --allow-image-url.', 'serve');
    const certFile = str(values, 'tls-cert');
    const keyFile = str(values, 'tls-key');
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new UsageError('--tls-cert and --tls-key go together (give both, or neither for http).', 'serve');
    let tls: { cert: Buffer; key: Buffer } | undefined;
    if (certFile !== undefined && keyFile !== undefined) {
      const { readFile } = await import('node:fs/promises');
      const read = async (file: string, what: string): Promise<Buffer> => {
        try {
          return await readFile(file);
        } catch {
          throw new UsageError(`Cannot read the ${what} file ${JSON.stringify(file.slice(0, 80))}.`, 'serve');
        }
      };
      tls = { cert: await read(certFile, '--tls-cert'), key: await read(keyFile, '--tls-key') };
      const { createSecureContext } = await import('node:tls');
      try {
        createSecureContext(tls);
      } catch {
        throw new UsageError('--tls-cert and --tls-key are not a matching PEM certificate and private key.', 'serve');
      }
    }
    const { startServer } = await import('../serve/server.js');
    const server = await startServer({
      port,
      host: str(values, 'host') ?? '127.0.0.1',
      ...(apiKey !== undefined ? { apiKey } : {}),
      allowImageUrl: bool(values, 'allow-image-url'),
      ...(allowPrivate ? { fetch: { allowPrivateAddresses: true } } : {}),
      ...(publicUrl !== undefined ? { publicUrl } : {}),
      ...(maxBody !== undefined ? { maxBody } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(tls !== undefined ? { tls } : {}),
      ...(maxJsonBytes !== undefined ? { maxJsonBytes } : {}),
      ...(minBodyRate !== undefined ? { minBodyRate } : {}),
      ...(bodyGraceMs !== undefined ? { bodyGraceMs } : {}),
      ...(maxBodiesPerAddress !== undefined ? { maxBodiesPerAddress } : {}),
      ...(logMode === 'json' ? { requestLog: (e) => io.stderr.write(JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n') } : {}),
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
          if (msg && typeof msg === 'object' && (msg as { type?: unknown }).type === 'rss') {
            // Cheap and immediate (no worker round trip): what the load benchmark samples for peak RSS.
            process.send?.({ type: 'rss', rss: process.memoryUsage.rss() });
          } else if (msg && typeof msg === 'object' && (msg as { type?: unknown }).type === 'memory') {
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
