/**
 * `npm run bench:load [-- --clients N --duration S --warmup S --scenario payload|image|hostile --workers N --json]`
 *
 * Load test of `qris serve` on loopback: starts the BUILT server (dist/, `npm run build`) in its own
 * process with --expose-gc and an IPC channel for memory probes, then for each scenario runs N
 * concurrent keep-alive clients for a fixed time and reports requests per second, p50/p99 latency,
 * errors and the server's memory (after a full GC) before and after.
 *
 *   payload  POST /api/qris-convert.php  JSON { qris, nominal }         (the event loop's own work)
 *   image    POST /api/qris-convert.php  multipart nominal + PNG image  (the worker pool)
 *   hostile  the payload traffic again, first beside 100 stalled 10 MiB uploads, then beside the
 *            whole hostile mix: 50 slow bodies (1 KiB/s), image bombs made here (a blank 7000 x 7000 16-bit
 *            RGBA PNG, a 2300 px QR), image_url pointing at a tarpit on 127.0.0.1, and a flood of
 *            distinct 1024 px qr.png renders. Reports the normal requests' p50/p99, the server's peak
 *            RSS (sampled every 100 ms) and what the hostile requests were answered. Goal on 2 cores:
 *            normal p99 < 100 ms and peak RSS < 600 MB. Loopback only; every loop ends at its deadline.
 *
 * The run fails (exit 1) on any error, or when the server's memory keeps growing: heap after the
 * second half of a scenario more than 8 MiB above the heap after its first half, or more than
 * 32 MiB above the heap before it. Not part of bench:check (absolute numbers depend on the machine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { crc32, createDeflate } from 'node:zlib';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toDynamic } from '../src/index.js';
import { toPng } from '../src/image/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const MiB = 1024 * 1024;

type ScenarioName = 'payload' | 'image' | 'hostile';

interface Options {
  clients: number;
  durationS: number;
  warmupS: number;
  scenarios: ScenarioName[];
  workers: number | undefined;
  json: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { clients: 8, durationS: 20, warmupS: 2, scenarios: ['payload', 'image'], workers: undefined, json: false };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} takes a number >= ${min}; got ${v}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--clients' || a === '-c') o.clients = Math.floor(num(a, argv[++i], 1));
    else if (a === '--duration' || a === '-d') o.durationS = num(a, argv[++i], 1);
    else if (a === '--warmup') o.warmupS = num(a, argv[++i], 0);
    else if (a === '--workers') o.workers = Math.floor(num(a, argv[++i], 1));
    else if (a === '--scenario' || a === '-s') {
      const s = argv[++i];
      if (s !== 'payload' && s !== 'image' && s !== 'hostile') throw new Error('--scenario is payload, image or hostile.');
      o.scenarios = [s];
    } else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') {
      console.log('npm run bench:load -- [--clients 8] [--duration 20] [--warmup 2] [--scenario payload|image|hostile] [--workers N] [--json]');
      process.exit(0);
    } else throw new Error(`Unknown option ${a}.`);
  }
  return o;
}

// ---- The server under test ---------------------------------------------------------------------

/** The server process after a full GC in the main thread and in every image worker. */
interface Memory {
  readonly rss: number;
  /** Main thread heap plus every worker's heap. */
  readonly heapUsed: number;
  readonly mainHeapUsed: number;
  readonly workersHeapUsed: number;
  readonly workers: number;
  readonly external: number;
}

interface ProbeAnswer {
  readonly type?: string;
  readonly memory?: { rss: number; heapUsed: number; external: number };
  readonly workers?: { heapUsed: number; external: number }[];
}

interface Server {
  readonly url: URL;
  memory(): Promise<Memory>;
  /** The server's RSS now (no GC, no worker round trip). */
  rss(): Promise<number>;
  stop(): Promise<number | null>;
  readonly log: () => string;
}

async function startServer(workers: number | undefined): Promise<Server> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first.`);
  // image_url to private addresses: the hostile mix's tarpit is on 127.0.0.1 (nothing else is reached).
  const args = ['--expose-gc', BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--allow-image-url', '--allow-private-urls'];
  if (workers !== undefined) args.push('--workers', String(workers));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`qris serve did not start:\n${log}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`qris serve exited with ${code}:\n${log}`));
    });
  });
  let waiting: ((m: Memory) => void) | undefined;
  const rssWaiting: ((n: number) => void)[] = [];
  child.on('message', (msg: ProbeAnswer & { rss?: number }) => {
    if (msg.type === 'rss' && typeof msg.rss === 'number') rssWaiting.shift()?.(msg.rss);
    if (msg.type === 'memory' && msg.memory && waiting) {
      const w = waiting;
      waiting = undefined;
      const workers = msg.workers ?? [];
      const workersHeapUsed = workers.reduce((sum, x) => sum + x.heapUsed, 0);
      w({
        rss: msg.memory.rss,
        heapUsed: msg.memory.heapUsed + workersHeapUsed,
        mainHeapUsed: msg.memory.heapUsed,
        workersHeapUsed,
        workers: workers.length,
        external: msg.memory.external + workers.reduce((sum, x) => sum + x.external, 0),
      });
    }
  });
  return {
    url,
    log: () => log,
    memory: () =>
      new Promise<Memory>((resolve) => {
        waiting = resolve;
        child.send({ type: 'memory', gc: true });
      }),
    rss: () =>
      new Promise<number>((resolve) => {
        rssWaiting.push(resolve);
        child.send({ type: 'rss' });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        child.send({ type: 'stop' });
      }),
  };
}

// ---- Requests ------------------------------------------------------------------------------------

interface Body {
  readonly headers: Record<string, string | number>;
  readonly body: Buffer;
  readonly nominal: number;
}

/** Request bodies, made up front; nominals vary so every answer is a fresh conversion. */
function bodies(scenario: ScenarioName): Body[] {
  const out: Body[] = [];
  const image = Buffer.from(toPng(STATIC)); // what a sticker photo crop looks like to the server: ~450 px
  for (let i = 0; i < 64; i++) {
    const nominal = 1000 + i * 250;
    if (scenario === 'payload') {
      const body = Buffer.from(JSON.stringify({ qris: STATIC, nominal }));
      out.push({ headers: { 'content-type': 'application/json', 'content-length': body.length }, body, nominal });
    } else {
      const boundary = '----qris-load-' + i;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="nominal"\r\n\r\n${nominal}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="sticker.png"\r\nContent-Type: image/png\r\n\r\n`),
        image,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      out.push({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length }, body, nominal });
    }
  }
  return out;
}

/** One POST; resolves to an error description, or undefined when the answer is right. */
function post(agent: Agent, url: URL, b: Body, expected: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ agent, host: url.hostname, port: url.port, method: 'POST', path: '/api/qris-convert.php', headers: b.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return resolve(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
        try {
          const j = JSON.parse(text) as { success?: unknown; qris?: unknown };
          resolve(j.success === true && j.qris === expected ? undefined : `wrong answer: ${text.slice(0, 200)}`);
        } catch {
          resolve(`not JSON: ${text.slice(0, 200)}`);
        }
      });
      res.on('error', (e) => resolve(`response: ${e.message}`));
    });
    req.on('error', (e) => resolve(`request: ${e.message}`));
    req.end(b.body);
  });
}

interface Phase {
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: string[];
  readonly latencies: Float64Array;
  readonly seconds: number;
}

/** `clients` loops, each sending one request after another until `seconds` have passed. */
async function phase(agent: Agent, url: URL, list: readonly Body[], expected: readonly string[], clients: number, seconds: number): Promise<Phase> {
  let latencies = new Float64Array(1 << 14);
  let n = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const i = next++ % list.length;
      const t0 = performance.now();
      const err = await post(agent, url, list[i]!, expected[i]!);
      const dt = performance.now() - t0;
      if (n === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = dt;
      if (err !== undefined) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { requests: n, errors, errorSamples, latencies: latencies.slice(0, n), seconds: (performance.now() - start) / 1000 };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly errorSamples: string[];
  readonly memory: { readonly before: Memory; readonly middle: Memory; readonly after: Memory };
  readonly memoryOk: boolean;
}

async function runScenario(server: Server, scenario: ScenarioName, o: Options): Promise<ScenarioResult> {
  const list = bodies(scenario);
  const expected = list.map((b) => toDynamic(STATIC, { amount: b.nominal }));
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  try {
    // Warm up (JIT, worker threads and their image libraries), then measure in two halves.
    if (o.warmupS > 0) await phase(agent, server.url, list, expected, o.clients, o.warmupS);
    const before = await server.memory();
    const first = await phase(agent, server.url, list, expected, o.clients, o.durationS / 2);
    const middle = await server.memory();
    const second = await phase(agent, server.url, list, expected, o.clients, o.durationS / 2);
    const after = await server.memory();
    const all = new Float64Array(first.latencies.length + second.latencies.length);
    all.set(first.latencies);
    all.set(second.latencies, first.latencies.length);
    all.sort();
    const requests = first.requests + second.requests;
    const seconds = first.seconds + second.seconds;
    const memoryOk = after.heapUsed - middle.heapUsed < 8 * MiB && after.heapUsed - before.heapUsed < 32 * MiB;
    return {
      scenario,
      clients: o.clients,
      seconds,
      requests,
      rps: requests / seconds,
      p50Ms: percentile(all, 50),
      p99Ms: percentile(all, 99),
      maxMs: all.length ? all[all.length - 1]! : NaN,
      errors: first.errors + second.errors,
      errorSamples: [...first.errorSamples, ...second.errorSamples].slice(0, 5),
      memory: { before, middle, after },
      memoryOk,
    };
  } finally {
    agent.destroy();
  }
}

// ---- The hostile mix -----------------------------------------------------------------------------

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(Buffer.from(type, 'latin1'))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A legal, blank `w` x `h` 16-bit RGBA PNG: a few hundred KB that decode to w * h * 8 bytes. */
async function pngBomb(w: number, h: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 16; // bit depth
  ihdr[9] = 6; // RGBA
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve) => deflate.on('end', resolve));
  const row = Buffer.alloc(1 + w * 8); // filter byte 0 + zero samples
  for (let y = 0; y < h; y++) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(out)), chunk('IEND', Buffer.alloc(0))]);
}

function multipartImage(image: Buffer, nominal: number): Body {
  const boundary = '----qris-hostile';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="nominal"\r\n\r\n${nominal}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="bomb.png"\r\nContent-Type: image/png\r\n\r\n`),
    image,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length }, body, nominal };
}

/** One hostile request on its own connection; resolves to the status (0: no answer), bounded by 30 s. */
function hit(url: URL, method: string, path: string, b: Body | undefined): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { ...(b?.headers ?? {}), connection: 'close' }, agent: false, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(b?.body);
  });
}

const STALLED_BODY = Buffer.alloc(10 * MiB - 16 - 16, 0x20);

const TRICKLE = Buffer.alloc(1024, 0x20);

/**
 * An upload declaring 10 MiB - 16 bytes that sends all but 16 of them and stalls (`trickle` false),
 * or sends 1 KiB a second (a slow body); resolves to the status it was answered (503 refused, 408
 * dropped for stalling, 0 none) once the server closes it or `until` passes.
 */
function stalledUpload(url: URL, until: number, trickle = false): Promise<number> {
  return new Promise((resolve) => {
    let drip: ReturnType<typeof setInterval> | undefined;
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST /api/qris-convert.php HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\ncontent-length: ${10 * MiB - 16}\r\n\r\n`);
      if (trickle) drip = setInterval(() => socket.write(TRICKLE), 1_000);
      else socket.write(STALLED_BODY);
    });
    socket.on('close', () => clearInterval(drip));
    let head = '';
    socket.on('data', (c: Buffer) => {
      if (head.length < 64) head += c.toString('latin1', 0, 64);
    });
    const end = (): void => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0));
    socket.on('close', end);
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), Math.max(0, until - performance.now()));
    socket.on('close', () => clearTimeout(timer));
  });
}

interface HostileKind {
  readonly requests: number;
  readonly statuses: Record<string, number>;
}

interface HostileResult {
  readonly stalled: {
    readonly normal: { p50Ms: number; p99Ms: number; requests: number; errors: number };
    readonly peakRss: number;
    readonly answers: Record<string, number>;
  };
  readonly mix: {
    readonly normal: { p50Ms: number; p99Ms: number; requests: number; errors: number };
    readonly peakRss: number;
    readonly kinds: Record<string, HostileKind>;
  };
  readonly baselineRss: number;
  readonly errorSamples: string[];
}

/** Runs `make` in `n` loops until `until`; tallies the statuses. A refused loop waits out Retry-After (1 s). */
async function hostileLoops(n: number, until: number, make: (i: number) => Promise<number>): Promise<HostileKind> {
  const statuses: Record<string, number> = {};
  let requests = 0;
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (performance.now() < until) {
        const status = await make(i++);
        requests++;
        statuses[status] = (statuses[status] ?? 0) + 1;
        // A refused request comes back soon, not in a tight loop.
        if (status === 503 || status === 0) await new Promise((r) => setTimeout(r, 1_000));
      }
    }),
  );
  return { requests, statuses };
}

async function sampleRss(server: Server, until: () => boolean): Promise<number> {
  let peak = 0;
  while (!until()) {
    peak = Math.max(peak, await server.rss());
    await new Promise((r) => setTimeout(r, 100));
  }
  return Math.max(peak, await server.rss());
}

function summary(p: Phase): { p50Ms: number; p99Ms: number; requests: number; errors: number } {
  const sorted = p.latencies.slice().sort();
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), requests: p.requests, errors: p.errors };
}

async function runHostile(server: Server, o: Options): Promise<HostileResult> {
  const list = bodies('payload');
  const expected = list.map((b) => toDynamic(STATIC, { amount: b.nominal }));
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const tarpit = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
  const tarpitPort = (tarpit.address() as AddressInfo).port;
  try {
    const bomb = multipartImage(await pngBomb(7000, 7000), 10);
    const heavy = multipartImage(Buffer.from(toPng(STATIC, { scale: 40 })), 11);
    if (o.warmupS > 0) await phase(agent, server.url, list, expected, o.clients, o.warmupS);
    const baselineRss = (await server.memory()).rss;

    // 1. 100 stalled 10 MiB uploads beside normal traffic.
    const stalledS = Math.max(4, o.durationS / 3);
    let until = performance.now() + stalledS * 1000;
    let over = false;
    const stalledAnswers: Record<string, number> = {};
    const stalls = Promise.all(Array.from({ length: 100 }, () => stalledUpload(server.url, until))).then((codes) => {
      for (const c of codes) stalledAnswers[c] = (stalledAnswers[c] ?? 0) + 1;
    });
    const rss1 = sampleRss(server, () => over);
    const normal1 = await phase(agent, server.url, list, expected, o.clients, stalledS);
    await stalls;
    over = true;
    const peak1 = await rss1;

    // 2. The whole mix.
    until = performance.now() + o.durationS * 1000;
    over = false;
    const rss2 = sampleRss(server, () => over);
    const kinds = Promise.all([
      hostileLoops(50, until, () => stalledUpload(server.url, until, true)),
      hostileLoops(2, until, () => hit(server.url, 'POST', '/api/qris-convert.php', bomb)),
      hostileLoops(2, until, () => hit(server.url, 'POST', '/api/qris-convert.php', heavy)),
      hostileLoops(6, until, (i) => {
        const body = Buffer.from(JSON.stringify({ image_url: `http://127.0.0.1:${tarpitPort}/pit-${i}.png`, nominal: 12 }));
        return hit(server.url, 'POST', '/api/qris-convert.php', {
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          body,
          nominal: 12,
        });
      }),
      hostileLoops(8, until, (i) =>
        hit(server.url, 'GET', `/api/qr.png?size=1024&data=${encodeURIComponent(toDynamic(STATIC, { amount: 100 + i }))}`, undefined),
      ),
    ]);
    const normal2 = await phase(agent, server.url, list, expected, o.clients, o.durationS);
    const [stalledMix, bombs, heavies, tarpits, pngs] = await kinds;
    over = true;
    const peak2 = await rss2;
    return {
      baselineRss,
      stalled: { normal: summary(normal1), peakRss: peak1, answers: stalledAnswers },
      mix: {
        normal: summary(normal2),
        peakRss: peak2,
        kinds: {
          'slow body (1 KiB/s)': stalledMix,
          'PNG bomb 7000x7000x16bit': bombs,
          'QR 2300 px': heavies,
          'image_url tarpit': tarpits,
          'qr.png 1024 flood': pngs,
        },
      },
      errorSamples: [...normal1.errorSamples, ...normal2.errorSamples].slice(0, 5),
    };
  } finally {
    agent.destroy();
    tarpit.closeAllConnections();
    tarpit.close();
  }
}

function hostileReport(h: HostileResult): string {
  const ms = (n: number) => n.toFixed(1);
  const lines = [
    `baseline RSS (after warm-up, GC): ${mb(h.baselineRss)} MiB`,
    `100 stalled 10 MiB uploads: normal p50 ${ms(h.stalled.normal.p50Ms)} ms, p99 ${ms(h.stalled.normal.p99Ms)} ms (${h.stalled.normal.requests} requests, ${h.stalled.normal.errors} errors); ` +
      `peak RSS ${mb(h.stalled.peakRss)} MiB; uploads answered ${JSON.stringify(h.stalled.answers)}`,
    `hostile mix: normal p50 ${ms(h.mix.normal.p50Ms)} ms, p99 ${ms(h.mix.normal.p99Ms)} ms (${h.mix.normal.requests} requests, ${h.mix.normal.errors} errors); peak RSS ${mb(h.mix.peakRss)} MiB`,
    ...Object.entries(h.mix.kinds).map(([k, v]) => `  ${k}: ${v.requests} requests, statuses ${JSON.stringify(v.statuses)}`),
  ];
  return lines.join('\n');
}

// ---- Report --------------------------------------------------------------------------------------

const mb = (bytes: number): string => (bytes / MiB).toFixed(1);

function table(results: readonly ScenarioResult[]): string {
  const head = ['scenario', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'heap MiB before > after', 'rss MiB before > after', 'memory'];
  const rows = results.map((r) => [
    r.scenario,
    String(r.requests),
    r.rps.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.maxMs.toFixed(1),
    String(r.errors),
    `${mb(r.memory.before.heapUsed)} > ${mb(r.memory.middle.heapUsed)} > ${mb(r.memory.after.heapUsed)}`,
    `${mb(r.memory.before.rss)} > ${mb(r.memory.middle.rss)} > ${mb(r.memory.after.rss)}`,
    r.memoryOk ? 'stable' : 'GROWING',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const server = await startServer(o.workers);
  const results: ScenarioResult[] = [];
  let hostile: HostileResult | undefined;
  try {
    if (!o.json) {
      console.log(
        `qris serve load: ${o.clients} clients on ${server.url.host}, ${o.durationS} s per scenario after ${o.warmupS} s warm-up; ` +
          `Node ${process.version}, ${availableParallelism()} cores, ${o.workers ?? Math.max(1, availableParallelism() - 1)} image workers`,
      );
    }
    for (const s of o.scenarios) {
      if (s === 'hostile') {
        hostile = await runHostile(server, o);
        if (!o.json) process.stdout.write('  hostile: done\n');
        continue;
      }
      const r = await runScenario(server, s, o);
      results.push(r);
      if (!o.json) process.stdout.write(`  ${s}: done\n`);
    }
  } finally {
    const code = await server.stop();
    if (code !== 0) console.error(`qris serve exited with ${code}:\n${server.log()}`);
  }
  const hostileOk = hostile === undefined || (hostile.stalled.normal.errors === 0 && hostile.mix.normal.errors === 0);
  const ok = results.every((r) => r.errors === 0 && r.memoryOk) && hostileOk;
  if (o.json) {
    console.log(JSON.stringify({ ok, node: process.version, cores: availableParallelism(), results, hostile }, null, 2));
  } else {
    if (results.length) console.log('\n' + table(results));
    if (hostile) {
      console.log('\n' + hostileReport(hostile));
      for (const e of hostile.errorSamples) console.log(`  hostile: normal request error: ${e}`);
      const goal = hostile.mix.normal.p99Ms < 100 && hostile.mix.peakRss < 600 * 1e6;
      console.log(`goal (normal p99 < 100 ms, peak RSS < 600 MB during the mix): ${goal ? 'met' : 'NOT met'}`);
    }
    console.log('(memory of the server after a full GC, before > middle > after the measured run; heap: main thread + image workers)');
    for (const r of results) for (const e of r.errorSamples) console.log(`  ${r.scenario} error: ${e}`);
    console.log(ok ? '\nOK: no errors, memory stable.' : '\nFAILED: errors or growing memory (see above).');
  }
  return ok ? 0 : 1;
}

process.exitCode = await main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return 1;
});
