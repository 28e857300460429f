import { z } from "@hono/zod-openapi";
import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { errorResponse } from "../shared/openapi.ts";
import { readBodyCapped } from "./body.ts";
import { MAX_IMAGE_BYTES } from "./image-limits.ts";
import { sniffImage } from "./sniff.ts";

/** Cover art and avatars: one request each (JPEG, PNG or WebP, by their bytes; ≤ 5 MiB). */
export const imageBody = {
  body: {
    content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    description: "The raw image (JPEG, PNG or WebP), at most 5 MiB",
  },
};
export const imageErrors = {
  413: errorResponse("Larger than 5 MiB"),
  415: errorResponse("Not a JPEG, PNG or WebP image"),
};
export const imageResponse = {
  200: { content: { "image/*": { schema: z.string().openapi({ format: "binary" }) } }, description: "The image" },
  304: { description: "Not modified" },
  404: errorResponse("No image"),
};

/** The image in the request body, checked by size and magic bytes. */
export async function readImage(request: Request) {
  const bytes = await readBodyCapped(
    request,
    MAX_IMAGE_BYTES,
    () => new ApiError(413, "file_too_large", "Images are limited to 5 MiB."),
  );
  const type = sniffImage(bytes);
  if (!type) throw new ApiError(415, "unsupported_media_type", "Send a JPEG, PNG or WebP image.");
  return { bytes, type };
}

/** Reads the image in the request and stores it under `key`. */
export async function storeImage(env: Pick<Env, "MEDIA">, key: string, request: Request): Promise<void> {
  const { bytes, type } = await readImage(request);
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType: type.mime } });
}
