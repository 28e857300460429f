import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

/**
 * One signed-in device: a refresh family (`refresh_tokens.family_id` is this row's id). The refresh
 * tokens stay the authority on whether it is signed in; this row says what and where it is.
 * `lastUsedAt` and the place move on each refresh (every ~15 minutes of use), not on every request.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** How it signed in: "password", or the provider ("github", "google", "discord"). */
    method: text("method").notNull(),
    /** The browser's User-Agent (first 512 characters), parsed when listed. */
    userAgent: text("user_agent").notNull().default(""),
    /** From the edge's request data (`request.cf`); null where there is none (local development). */
    city: text("city"),
    country: text("country"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.lastUsedAt)],
);

/** An account at GitHub, Google or Discord that signs in to a Veza account. */
export const oauthIdentities = sqliteTable(
  "oauth_identities",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    /** The provider's stable id of the account (never its email or login, which can change). */
    providerUserId: text("provider_user_id").notNull(),
    /** What the provider calls the account (login or email), to tell several apart in settings. */
    label: text("label").notNull(),
    email: text("email"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [
    uniqueIndex("oauth_identities_provider_account_idx").on(t.provider, t.providerUserId),
    index("oauth_identities_user_idx").on(t.userId),
  ],
);

/**
 * A sign-in (or link) started with a provider and not yet finished: single use (deleted when
 * consumed), short-lived, and bound to the browser that started it through a cookie whose hash is
 * kept here. Only hashes of the state and cookie are stored; the PKCE verifier must be kept as is.
 */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    provider: text("provider").notNull(),
    browserHash: text("browser_hash").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    /** Set when a signed-in user is linking the provider to their account. */
    linkUserId: text("link_user_id").references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("oauth_states_expires_idx").on(t.expiresAt)],
);
