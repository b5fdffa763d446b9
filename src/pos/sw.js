// Service worker of the QRIS cashier page: keeps the page (one self-contained file) in a cache so
// it opens with no network. Cache-first for the page; a new build has a new VERSION, so the
// browser installs it on the next online visit and the old cache is deleted. Nothing else (the
// /api endpoints of `qris serve`) is touched.
const VERSION = '__VERSION__';
const CACHE = 'qris-pos-' + VERSION;
const SHELL = ['./', './index.html'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('qris-pos-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin) return;
  const rel = url.pathname.slice(scope.pathname.length);
  if (rel !== '' && rel !== 'index.html') return;
  event.respondWith(caches.open(CACHE).then((c) => c.match('./index.html').then((hit) => hit ?? fetch(req))));
});
