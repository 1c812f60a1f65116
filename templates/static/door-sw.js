// Marquee door service worker (served at /door/sw.js, scope /door): the door pages and their
// scripts load without the network. Network first, so a device online always gets the current
// page; the last good copy answers when the network does not. API requests are never touched:
// the page decides what to do when they fail.
"use strict";

const CACHE = "marquee-door-v1";
const ASSETS = ["/static/marquee.css", "/static/door-offline.js", "/static/door.js"];
// A venue's wifi that is "connected" but goes nowhere should not keep a page waiting long.
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("marquee-door-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function cacheable(url, request) {
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/static/")) return true;
  return request.mode === "navigate" && (url.pathname === "/door" || url.pathname.startsWith("/door/"));
}

function fromNetwork(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), NETWORK_TIMEOUT_MS);
    fetch(request).then((response) => { clearTimeout(timer); resolve(response); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

// The one page this worker writes itself, when the server cannot be asked for the words: in the
// device's language when Marquee speaks it (the same texts as door-page.ftl's).
const NOT_CACHED_TEXT = {
  en: ["No connection", "This door page was never opened on this device while it was online, so there is no copy of it here.",
    "Open the door page once while connected (it is then kept for offline use), or reconnect and", "try again"],
  fr: ["Pas de connexion", "Cette page d’entrée n’a jamais été ouverte sur cet appareil avec une connexion : aucune copie n’est disponible ici.",
    "Ouvrez la page d’entrée une fois avec une connexion (elle est alors gardée pour le mode hors ligne), ou reconnectez-vous et", "réessayez"],
  vi: ["Không có kết nối", "Trang soát vé này chưa từng được mở trên thiết bị khi có mạng, nên ở đây không có bản lưu nào.",
    "Hãy mở trang soát vé một lần khi có mạng (trang sẽ được lưu để dùng khi mất mạng), hoặc kết nối lại và", "thử lại"],
};
function notCached() {
  const lang = ((self.navigator && self.navigator.language) || "en").slice(0, 2);
  const [title, never, hint, retry] = NOT_CACHED_TEXT[lang] || NOT_CACHED_TEXT.en;
  const code = NOT_CACHED_TEXT[lang] ? lang : "en";
  return `<!doctype html><html lang="${code}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Marquee</title><link rel="stylesheet" href="/static/marquee.css">
<main><h1>${title}</h1><p>${never}</p>
<p>${hint} <a href="">${retry}</a>.</p></main></html>`;
}

// A door page asks to be kept as soon as this worker controls it (its first load came before the
// worker, so it never passed through the fetch handler below).
self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path !== "string" || !(path === "/door" || path.startsWith("/door/"))) return;
  event.waitUntil((async () => {
    const response = await fetch(path, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await (await caches.open(CACHE)).put(path, response);
  })().catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!cacheable(url, request)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fromNetwork(request);
      // Only a page as the signed-in device saw it: never a redirect to the sign-in page or an error.
      if (response.ok && !response.redirected && response.type === "basic") {
        await cache.put(request, response.clone());
      }
      return response;
    } catch (_) {
      const kept = await cache.match(request, { ignoreVary: true });
      if (kept) return kept;
      if (request.mode === "navigate") {
        return new Response(notCached(), { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      }
      return Response.error();
    }
  })());
});
