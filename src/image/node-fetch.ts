/**
 * Node-only network hooks for URL inputs (passed to `readInput` by the Node entry and the server, so
 * the browser build never reaches a `node:` module): resolving a host name to all its addresses,
 * and one HTTP(S) GET pinned to the address the guard checked, so DNS rebinding cannot swap it.
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { literalAddress, type ConnectHook, type LookupHook } from './address-guard.js';
import type { NetHooks } from './input.js';

/** Every address of `hostname` (the system resolver, as `fetch` would use). */
export const nodeLookup: LookupHook = async (hostname) => {
  const all = await lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** A GET to `request.address` (never re-resolved), sending the URL's host as Host and as TLS SNI. */
export const nodeConnect: ConnectHook = (r) =>
  new Promise<Response>((resolve, reject) => {
    const secure = r.url.protocol === 'https:';
    const named = literalAddress(r.url.hostname) === undefined;
    const req = (secure ? httpsRequest : httpRequest)({
      // An IP literal as host: the socket connects to it without any lookup.
      host: r.address.address,
      family: r.address.family,
      port: r.url.port === '' ? (secure ? 443 : 80) : Number(r.url.port),
      path: r.url.pathname + r.url.search,
      method: 'GET',
      headers: { ...r.headers, host: r.url.host },
      agent: false,
      signal: r.signal,
      // The certificate is checked against the name, not the pinned address.
      ...(secure && named ? { servername: r.url.hostname } : {}),
    });
    const connectTimer = setTimeout(() => req.destroy(new Error('connect timeout')), r.connectTimeoutMs);
    req.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('error', (e) => {
      clearTimeout(connectTimer);
      reject(e);
    });
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 599) {
        res.destroy();
        reject(new Error('unusable HTTP status'));
        return;
      }
      const headers = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        try {
          headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        } catch {
          // A header value Headers refuses: not one the fetch reads.
        }
      }
      const nullBody = status === 204 || status === 205 || status === 304;
      if (nullBody) res.resume();
      resolve(new Response(nullBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>), { status, headers }));
    });
    req.end();
  });

/** Both hooks, for `readInput`'s `net` argument. */
export const NODE_NET: NetHooks = { lookup: nodeLookup, connect: nodeConnect };
