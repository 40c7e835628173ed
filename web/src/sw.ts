/**
 * Service worker: keeps the page itself (HTML, script, styles, and the QR reader once used) so that it
 * opens at a checkpoint without network. It never touches /v1/ requests: no API answer is ever cached.
 * Built by web/build.ts into web/dist/sw.js; typed without the WebWorker library (which cannot share a
 * program with the DOM one), through the guards below.
 */

/** Set by web/build.ts. */
declare const PRECACHE: readonly string[];
declare const CACHE_VERSION: string;

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScopeLike {
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
}

const cacheName = `resultgate-web-${CACHE_VERSION}`;

function isExtendable(event: Event): event is ExtendableEventLike {
  return 'waitUntil' in event && typeof event.waitUntil === 'function';
}
function isFetch(event: Event): event is FetchEventLike {
  return (
    isExtendable(event) && 'request' in event && event.request instanceof Request && 'respondWith' in event
  );
}
function isWorkerScope(scope: unknown): scope is WorkerScopeLike {
  return typeof scope === 'object' && scope !== null && 'skipWaiting' in scope && 'clients' in scope;
}

const scope: unknown = self;

self.addEventListener('install', (event) => {
  if (!isExtendable(event)) return;
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll([...PRECACHE]))
      .then(() => (isWorkerScope(scope) ? scope.skipWaiting() : undefined)),
  );
});

self.addEventListener('activate', (event) => {
  if (!isExtendable(event)) return;
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== cacheName).map((name) => caches.delete(name))),
      )
      .then(() => (isWorkerScope(scope) ? scope.clients.claim() : undefined)),
  );
});

async function networkFirst(request: Request, fallback: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request, { signal: AbortSignal.timeout(4000) });
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch {
    return (await cache.match(request)) ?? (await cache.match(fallback)) ?? Response.error();
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  if (!isFetch(event)) return;
  const request = event.request;
  const url = new URL(request.url);
  const base = new URL('./', location.href);
  if (request.method !== 'GET' || url.origin !== base.origin || !url.pathname.startsWith(base.pathname))
    return;
  const path = url.pathname.slice(base.pathname.length);
  // The public facilities page is not the checkpoint's: offline it must not open as the checkpoint page.
  if (path.startsWith('v1/') || path === 'facilities.html') return;
  if (path.startsWith('assets/')) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, './'));
});
