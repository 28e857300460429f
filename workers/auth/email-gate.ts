import { ApiError } from "../shared/errors.ts";
import type { AuthUser } from "./types.ts";

export const EMAIL_UNVERIFIED_MESSAGE =
  "Confirm your email address first: open the link we emailed you, or ask for a new one in Settings → Email. Until then you can listen, but not upload, comment or chat.";

export const emailUnverified = () => new ApiError(403, "email_unverified", EMAIL_UNVERIFIED_MESSAGE);

/** Uploads, comments and chat need a verified address (listening does not): 403 `email_unverified` otherwise. */
export function assertEmailVerified(viewer: Pick<AuthUser, "emailVerified">): void {
  if (!viewer.emailVerified) throw emailUnverified();
}
