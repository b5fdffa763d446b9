/**
 * Child process for the bomb tests and the bomb benchmark: decodes one file with one engine and
 * prints one line `RESULT {"code","ms","cpuMs","maxRssMb"}`: wall and CPU time of the decode and the
 * peak RSS of this process (nothing the parent did to build the bomb is counted).
 * Usage: node --import tsx test/image-bomb-child.ts FILE ENGINE
 */
import { readFileSync } from 'node:fs';
import { QrisError } from '../src/errors.js';
import { decodeImage, type DecodeEngine } from '../src/image/index.js';

const [file, engine] = process.argv.slice(2) as [string, DecodeEngine];
const bytes = new Uint8Array(readFileSync(file));
const t = performance.now();
const cpu = process.cpuUsage();
let code: string;
try {
  code = 'ok ' + (await decodeImage(bytes, { engine })).engine;
} catch (e) {
  code = e instanceof QrisError ? e.code : `not a QrisError: ${String(e)}`;
}
const ms = performance.now() - t;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
console.log('RESULT ' + JSON.stringify({ code, ms: Math.round(ms), cpuMs: Math.round(cpuMs), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
