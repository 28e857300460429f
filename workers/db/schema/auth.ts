import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const ROLES = ["listener", "artist", "admin"] as const;
export type Role = (typeof ROLES)[number];
/**
 * `deleted` is only ever the status of the one "deleted user" account (auth/deleted-user.ts) that
 * anonymised comments and chat messages point to: it cannot sign in and has no profile.
 */
export const ACCOUNT_STATUSES = ["active", "disabled", "deleted"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ROLES }).notNull().default("listener"),
  status: text("status", { enum: ACCOUNT_STATUSES }).notNull().default("active"),
  /** Bumped to end every session at once (password change, disable). Access tokens carry it. */
  tokenVersion: integer("token_version").notNull().default(0),
  bio: text("bio").notNull().default(""),
  avatarKey: text("avatar_key"),
  /** When the owner proved they read mail at `email` (a link, or a provider that vouches for it); null until then. */
  emailVerifiedAt: integer("email_verified_at"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    rotatedAt: integer("rotated_at"),
    revokedAt: integer("revoked_at"),
    /** The row that replaced this one on rotation. */
    successorId: text("successor_id"),
    /**
     * The successor's token, sealed with a key derived from this row's token (which only its holder
     * has; the row keeps a hash of it): a second refresh within the grace window gets the same one.
     */
    successorSealed: text("successor_sealed"),
  },
  (t) => [
    index("refresh_tokens_family_idx").on(t.familyId),
    index("refresh_tokens_user_idx").on(t.userId),
    index("refresh_tokens_expires_idx").on(t.expiresAt),
    index("refresh_tokens_revoked_idx").on(t.revokedAt),
  ],
);

/**
 * Passwords for outside apps (Subsonic clients). Kept encrypted, not hashed, because Subsonic
 * token auth sends md5(password + salt), which can only be checked against the plaintext.
 */
export const appPasswords = sqliteTable(
  "app_passwords",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** AES-GCM under APP_PASSWORD_KEY: base64url of iv (12 bytes) followed by the ciphertext. */
    sealed: text("sealed").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("app_passwords_user_idx").on(t.userId, t.createdAt)],
);

/** API keys for outside apps (OpenSubsonic `apiKey`); only their SHA-256 is stored. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("api_keys_user_idx").on(t.userId, t.createdAt)],
);

/**
 * An account its owner asked to delete: signing in before `dueAt` cancels it (the row goes);
 * after it the deletion task (auth/account-data/deletion-task.ts) erases the account step by step
 * and finally the user row, which takes this row with it. `startedAt` is set when erasing begins:
 * from then on signing in no longer cancels, so a deletion is never left half-done.
 */
export const accountDeletions = sqliteTable(
  "account_deletions",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    requestedAt: integer("requested_at").notNull(),
    dueAt: integer("due_at").notNull(),
    startedAt: integer("started_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("account_deletions_due_idx").on(t.dueAt)],
);

export const EMAIL_TOKEN_PURPOSES = ["verify_email", "change_email", "password_reset"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/**
 * Single-use tokens sent by email (`?token=` links): only their SHA-256 is stored. `email` is the
 * address the token was sent to, which a `change_email` token makes the account's address.
 */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("email_tokens_user_idx").on(t.userId, t.purpose), index("email_tokens_expires_idx").on(t.expiresAt)],
);
