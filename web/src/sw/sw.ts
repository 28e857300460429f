/// <reference lib="webworker" />
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { notificationFor, openInApp, payloadOf } from "./push.ts";

/**
 * The app's service worker (vite-plugin-pwa injectManifest): precaching and the SPA navigation
 * fallback as before, offline audio (offline-audio-sw.js), and Web Push.
 */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };

// Answers /offline-audio/<id> (tracks saved for offline) from Cache Storage, with ranges.
importScripts("/offline-audio-sw.js");

self.skipWaiting();
clientsClaim();
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The API, streams and sockets always go to the network.
registerRoute(new NavigationRoute(createHandlerBoundToURL("/index.html"), { denylist: [/^\/api\//, /^\/rest\//] }));

self.addEventListener("push", (event) => {
  const shown = notificationFor(payloadOf(event.data));
  if (shown) event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: unknown } | null)?.url;
  event.waitUntil(openInApp(self.clients, self.location.origin, typeof url === "string" ? url : "/"));
});
