import type { RateLimiter } from "./auth/rate-limiter.ts";
import type { ChatRoom } from "./chat/chat-room.ts";
import type { UserEvents } from "./media/user-events.ts";

/** Bindings and configuration of the one Worker (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  MEDIA: R2Bucket;
  ASSETS: Fetcher;
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  USER_EVENTS: DurableObjectNamespace<UserEvents>;
  TRANSCODER: DurableObjectNamespace;
  TRANSCODE_QUEUE: Queue;
  /** Play reports (workers/catalog/play-message.ts), counted in batches by the `plays` consumer. */
  PLAYS_QUEUE: Queue;

  APP_VERSION: string;
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  STREAM_SIGNING_KEY: string;
  TRANSCODER_URL?: string;
  /** Shared with the transcoder: the queue consumer signs each job with it (HMAC-SHA-256). */
  TRANSCODER_SECRET?: string;
  /** This Worker's public origin: the transcoder reads originals and writes outputs through it. */
  PUBLIC_BASE_URL: string;
  /** First retry delay of a failed transcode (doubles each attempt); default 10 s. */
  TRANSCODE_RETRY_BASE_SECONDS?: string;
  /** Deliveries before a transcode is marked failed; must match max_retries + 1 in wrangler.toml. */
  TRANSCODE_MAX_ATTEMPTS?: string;
  MAX_UPLOAD_BYTES?: string;
  /** argon2id memory cost in KiB; unset means the OWASP minimum (19 MiB). Tests lower it for speed. */
  ARGON2_MEMORY_KIB?: string;
  /** Chat messages one user may send per 10 s in one room; default 20. */
  CHAT_SEND_LIMIT?: string;
}

export type AppBindings = {
  Bindings: Env;
  Variables: {
    user?: import("./auth/middleware.ts").AuthUser;
    /** The session (refresh family) of the request's access token. */
    sessionId?: string;
    /** An admin's change to someone else's content, recorded in the audit log if the route succeeds. */
    adminAction?: import("./catalog/admin.ts").AuditEntry;
  };
};
