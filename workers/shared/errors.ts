import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error a client should see: rendered as the `{"error": {code, message, details?}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, "validation_failed", message, details);
export const unauthenticated = (message = "Sign in to continue.") => new ApiError(401, "unauthenticated", message);
export const forbidden = (message = "You are not allowed to do that.") => new ApiError(403, "forbidden", message);
export const notFound = (what = "Resource") => new ApiError(404, "not_found", `${what} not found.`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
