import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Every error code an API surface can answer with. The v1 API renders them in its JSON envelope
 * (`{"error": {code, message, details?}}`, app.ts); another surface (Subsonic) maps them to its
 * own envelope and numeric codes in its router's onError. Add a code here before using it.
 */
export const ERROR_CODES = [
  // request shape
  "validation_failed",
  "malformed_request",
  "invalid_cursor",
  "payload_too_large",
  "length_required",
  "unsupported_media_type",
  "method_not_allowed",
  "upgrade_required",
  "http_error",
  // identity and permission
  "unauthenticated",
  "invalid_credentials",
  "email_unverified",
  "invalid_token",
  "weak_password",
  "forbidden",
  "rate_limited",
  "ticket_used",
  "invalid_signature",
  "reason_required",
  "target_is_admin",
  "cannot_disable_self",
  "last_admin",
  "too_many_credentials",
  "provider_not_configured",
  "oauth_state_invalid",
  "oauth_code_rejected",
  "oauth_provider_error",
  "oauth_email_required",
  "oauth_email_unverified",
  "oauth_account_unverified",
  "identity_in_use",
  "last_sign_in_method",
  "invalid_challenge",
  "invalid_mfa_code",
  "mfa_already_enabled",
  "mfa_not_enabled",
  "passkey_rejected",
  // resources
  "not_found",
  "username_taken",
  "email_taken",
  "email_unchanged",
  "email_already_verified",
  "cannot_follow_self",
  "track_not_ready",
  "track_not_listable",
  "track_already_in_playlist",
  "playlist_full",
  // media
  "file_too_large",
  "invalid_part_number",
  "invalid_part_size",
  "incomplete_upload",
  "parts_mismatch",
  "upload_completed",
  "quality_unavailable",
  "not_ready",
  "range_not_satisfiable",
  "quota_exceeded",
  "download_not_offered",
  "track_deleted",
  "track_not_processing",
  "not_failed",
  "original_missing",
  "queue_unavailable",
  // chat
  "banned",
  "blocked",
  "not_private",
  "already_member",
  "already_reported",
  "owner_role",
  // notifications
  "push_unavailable",
  // the server
  "internal_error",
  "server_misconfigured",
  "email_unavailable",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error a client should see: rendered as the `{"error": {code, message, details?}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
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
export const conflict = (code: ErrorCode, message: string) => new ApiError(409, code, message);

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
