import type { Env } from "../../env.ts";
import { ApiError } from "../../shared/errors.ts";

export type RelyingParty = { id: string; name: string; origins: string[] };

/**
 * Who passkeys belong to: the origins the web app is served from (PASSKEY_ORIGINS, comma
 * separated; PUBLIC_BASE_URL when empty). The RP ID is the first origin's host name, so every
 * origin must be that host or a subdomain of it. Browsers refuse IP addresses as an RP ID:
 * locally the app is opened as http://localhost.
 */
export function relyingParty(env: Env): RelyingParty {
  const configured = (env.PASSKEY_ORIGINS || env.PUBLIC_BASE_URL || "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  try {
    const origins = configured.map((origin) => new URL(origin).origin);
    const id = new URL(origins[0] ?? "").hostname;
    return { id, name: "Veza", origins };
  } catch {
    throw new ApiError(503, "server_misconfigured", "Passkeys are not configured on this server (PASSKEY_ORIGINS).");
  }
}
