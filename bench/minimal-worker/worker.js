// GET /<R2 key> with an optional Range header: the least a Worker can do to serve a byte range from R2.
export default {
  async fetch(request, env) {
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    const object = await env.MEDIA.get(key, { range: request.headers });
    if (!object) return new Response("not found", { status: 404 });
    const headers = new Headers({ etag: object.httpEtag, "accept-ranges": "bytes" });
    object.writeHttpMetadata(headers);
    if (request.headers.has("range") && object.range) {
      const offset = object.range.offset ?? 0;
      const length = object.range.length ?? object.size - offset;
      headers.set("content-range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
      return new Response(object.body, { status: 206, headers });
    }
    return new Response(object.body, { headers });
  },
};
