import type { AuthUser } from "./auth/types.ts";
import type { AuditEntry } from "./catalog/audit-entry.ts";
import type { Db } from "./db/client.ts";

/**
 * Bindings and configuration of the one Worker. `Cloudflare.Env` is generated from wrangler.toml
 * by `npm run cf-typegen` into worker-configuration.d.ts (`npm test` checks it is current); only
 * what wrangler.toml cannot declare is added here.
 */
export interface Env extends Cloudflare.Env {
  /** argon2id memory cost in KiB; unset means the OWASP minimum (19 MiB). Tests lower it for speed. */
  ARGON2_MEMORY_KIB?: string;
  /** The HTTP email provider's API token (secret; only with EMAIL_TRANSPORT = "http"). */
  EMAIL_HTTP_TOKEN?: string;
  /** Chat messages one user may send per 10 s in one room; default 20. */
  CHAT_SEND_LIMIT?: string;
  /** Sockets a room holds itself before it spreads new ones over child objects; default 5000. */
  CHAT_SHARD_THRESHOLD?: string;
  /** Milliseconds an empty listening party lasts before it ends (default 3 minutes). */
  PARTY_EMPTY_MS?: string;
  /** Client secrets of the sign-in providers (`wrangler secret put`); a provider without one is hidden. */
  OAUTH_GITHUB_CLIENT_SECRET?: string;
  OAUTH_GOOGLE_CLIENT_SECRET?: string;
  OAUTH_DISCORD_CLIENT_SECRET?: string;
  /** Milliseconds a departed party host keeps control before it passes on (default 10 s). */
  PARTY_HOST_GRACE_MS?: string;
  /**
   * "true": push subscriptions may name an http://127.0.0.1 or http://localhost endpoint (the tests'
   * fake push service). Never set in a deployment: real push services are https.
   */
  PUSH_ALLOW_LOOPBACK_ENDPOINTS?: string;
}

/**
 * What every API handler sees: the bindings, the database (`c.var.db`, set for every API request)
 * and the viewer (`c.var.viewer`, set by the auth presets; undefined when nobody is signed in).
 */
export type AppBindings = {
  Bindings: Env;
  Variables: {
    db: Db;
    viewer?: AuthUser;
    /** The session (refresh family) of the request's access token. */
    sessionId?: string;
    /** An admin's change to someone else's content, recorded in the audit log if the route succeeds. */
    adminAction?: AuditEntry;
    /** Set for every request by workers/shared/request-log.ts (also the `x-request-id` header). */
    requestId: string;
  };
};
