// Imported by the generated service worker: answers /offline-audio/<trackId> from the audio saved
// in Cache Storage, with single-range support (an <audio> element asks for ranges to start and seek).
const OFFLINE_CACHE = "veza-offline-audio";

function parseRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header || "");
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start;
  let end;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : "unsatisfiable";
}

async function answer(request) {
  const cache = await caches.open(OFFLINE_CACHE);
  const saved = await cache.match(new URL(request.url).pathname);
  if (!saved) return new Response("Not saved for offline", { status: 404 });
  const body = await saved.arrayBuffer();
  const size = body.byteLength;
  const type = saved.headers.get("content-type") || "audio/mp4";
  const range = parseRange(request.headers.get("range"), size);
  if (range === null) {
    return new Response(body, {
      status: 200,
      headers: { "content-type": type, "content-length": String(size), "accept-ranges": "bytes" },
    });
  }
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
  }
  return new Response(body.slice(range.start, range.end + 1), {
    status: 206,
    headers: {
      "content-type": type,
      "content-length": String(range.end - range.start + 1),
      "content-range": `bytes ${range.start}-${range.end}/${size}`,
      "accept-ranges": "bytes",
    },
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin === self.location.origin && url.pathname.startsWith("/offline-audio/")) {
    event.respondWith(answer(event.request));
  }
});
