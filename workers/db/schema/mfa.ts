import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

/**
 * Two-factor sign-in (auth domain): an authenticator app's TOTP secret, the recovery codes that
 * stand in for it, passkeys (WebAuthn credentials), and the short-lived challenges of the sign-in
 * and registration ceremonies.
 */

/** One TOTP secret per user; two-step sign-in is on once `confirmedAt` is set. */
export const totpSecrets = sqliteTable("totp_secrets", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** AES-GCM under a key derived from APP_PASSWORD_KEY (shared/crypto.ts `seal`): the base32 secret. */
  sealed: text("sealed").notNull(),
  createdAt: integer("created_at").notNull(),
  /** Null while the user has not yet proved their app has the secret (setup not finished). */
  confirmedAt: integer("confirmed_at"),
  /** The 30-second time step of the last accepted code: a code is never accepted twice. */
  lastUsedStep: integer("last_used_step"),
});

/** Ten single-use codes made when two-step sign-in is turned on (or regenerated); SHA-256 stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash_idx").on(t.userId, t.codeHash)],
);

/** A registered passkey: its credential id (base64url) is the primary key, as the browser names it. */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter (0 for synced passkeys, which do not count). */
    counter: integer("counter").notNull().default(0),
    /** JSON array of transports ("internal", "hybrid", "usb", …) the browser reported. */
    transports: text("transports").notNull().default("[]"),
    /** "multiDevice" for a synced passkey, "singleDevice" for one bound to a security key or device. */
    deviceType: text("device_type").notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("passkeys_user_idx").on(t.userId, t.createdAt)],
);

export const AUTH_CHALLENGE_PURPOSES = ["mfa_login", "passkey_register", "passkey_login"] as const;
export type AuthChallengePurpose = (typeof AUTH_CHALLENGE_PURPOSES)[number];

/**
 * A single-use, short-lived step of a sign-in or registration: the second step of a password
 * sign-in, or a WebAuthn ceremony. The client holds a random token; only its SHA-256 is stored.
 */
export const authChallenges = sqliteTable(
  "auth_challenges",
  {
    /** SHA-256 (hex) of the token the client holds. */
    id: text("id").primaryKey(),
    purpose: text("purpose", { enum: AUTH_CHALLENGE_PURPOSES }).notNull(),
    /** Null for a passwordless passkey sign-in, where the passkey names the account. */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The WebAuthn challenge (base64url) the authenticator must sign, when a passkey may answer. */
    webauthnChallenge: text("webauthn_challenge"),
    /** Wrong answers so far; the challenge is void after a few. */
    failures: integer("failures").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("auth_challenges_expires_idx").on(t.expiresAt)],
);
