// Moving bytes: the source download (GET) and the output uploads (PUT with a known length).

import { createReadStream, createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { invalidAudio, JobError } from "./errors.ts";

const unavailable = (message: string) => new JobError(502, "source_unavailable", message);

/** Downloads url into path; returns the byte count. */
export async function download(
  url: string,
  path: string,
  options: { timeoutMs: number; maxBytes: number; signal: AbortSignal },
): Promise<number> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: "follow" });
  } catch {
    if (options.signal.aborted) throw new JobError(499, "aborted", "The job was cancelled.");
    throw unavailable("The source could not be fetched.");
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw unavailable(`The source could not be fetched (HTTP ${response.status}).`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel().catch(() => {});
    throw invalidAudio(`The source is larger than the ${options.maxBytes}-byte limit.`);
  }
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        callback(invalidAudio(`The source is larger than the ${options.maxBytes}-byte limit.`));
        return;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), counter, createWriteStream(path), {
      signal,
    });
  } catch (error) {
    if (error instanceof JobError) throw error;
    if (options.signal.aborted) throw new JobError(499, "aborted", "The job was cancelled.");
    throw unavailable("The source download was interrupted.");
  }
  return bytes;
}

/** One part of an upload body: bytes in memory, or a byte range [start, end) of a file. */
export type BodyPart = Buffer | { path: string; start: number; end: number };

export type Output = { name: string; contentType: string; parts: BodyPart[] };

export const outputSize = (output: Output) =>
  output.parts.reduce((sum, p) => sum + (Buffer.isBuffer(p) ? p.length : p.end - p.start), 0);

/** PUTs one output with Content-Length; resolves on a 2xx, rejects with output_failed otherwise. */
export function upload(
  url: string,
  output: Output,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<void> {
  const failed = (why: string) => new JobError(502, "output_failed", `Storing ${output.name} failed (${why}).`);
  return new Promise<void>((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(failed("bad URL"));
      return;
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, {
      method: "PUT",
      headers: { "content-type": output.contentType, "content-length": String(outputSize(output)) },
      signal: options.signal,
      timeout: options.timeoutMs,
    });
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(options.signal.aborted ? new JobError(499, "aborted", "The job was cancelled.") : failed(why));
    };
    req.on("timeout", () => fail("timed out"));
    req.on("error", () => fail("connection error"));
    req.on("response", (res: IncomingMessage) => {
      res.resume();
      const status = res.statusCode ?? 0;
      res.on("end", () => {
        if (settled) return;
        if (status >= 200 && status < 300) {
          settled = true;
          resolve();
        } else {
          fail(`HTTP ${status}`);
        }
      });
      res.on("error", () => fail("connection error"));
    });
    (async () => {
      for (const part of output.parts) {
        if (Buffer.isBuffer(part)) {
          if (!req.write(part)) await new Promise((r) => req.once("drain", r));
        } else if (part.end > part.start) {
          for await (const chunk of createReadStream(part.path, { start: part.start, end: part.end - 1 })) {
            if (settled) return;
            if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
          }
        }
      }
      req.end();
    })().catch(() => fail("read error"));
  });
}

/** Runs tasks with at most `limit` in flight; rejects with the first error (after all settle). */
export async function runLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let firstError: unknown = null;
  const worker = async () => {
    while (next < items.length && firstError === null) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError !== null) throw firstError;
}
