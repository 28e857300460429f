// A push service for the Worker tests, run by vitest in Node (globalSetup): the Worker in workerd
// POSTs real push messages to it over HTTP. It records each request and answers what the endpoint's
// path asks for: /push/<name>/<status>[,<status>…] answers the statuses in turn (the last one repeats),
// 429 and 503 with `Retry-After: 1`. GET /requests/<name> returns what <name> received.
import { createServer, type IncomingMessage } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    fakePushOrigin: string;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export default async function setup(project: TestProject) {
  const received = new Map<string, { path: string; headers: Record<string, string>; body: string }[]>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake-push");
    const [, kind, name, statuses] = url.pathname.split("/");
    if (request.method === "GET" && kind === "requests" && name) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(received.get(name) ?? []));
      return;
    }
    if (request.method !== "POST" || kind !== "push" || !name) {
      response.writeHead(400).end();
      return;
    }
    const body = await readBody(request);
    const list = received.get(name) ?? [];
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(", ") : (value ?? ""),
      ]),
    );
    list.push({ path: url.pathname, headers, body: body.toString("base64url") });
    received.set(name, list);
    const answers = (statuses ?? "201").split(",").map(Number);
    const status = answers[Math.min(list.length, answers.length) - 1] ?? 201;
    response.writeHead(status, status === 429 || status === 503 ? { "retry-after": "1" } : {});
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the fake push service has no port");
  project.provide("fakePushOrigin", `http://127.0.0.1:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
