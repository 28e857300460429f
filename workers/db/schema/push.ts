import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

/**
 * Web Push subscriptions, one per browser (device) that asked for push. The endpoint is the push
 * service's URL for that browser: unique, so a second sign-in on the same browser takes it over.
 * Rows answered 404/410 by the push service are deleted (workers/notifications/push/).
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull().unique(),
    /** base64url of the browser's P-256 public key (65 bytes) and auth secret (16 bytes). */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    /** The app's language on that device when it subscribed: the service worker words the notification in it. */
    locale: text("locale").notNull().default("en"),
    /** A label for the device list ("Firefox on Linux"), from the User-Agent at subscribe time. */
    userAgent: text("user_agent").notNull().default(""),
    createdAt: integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
    lastDeliveredAt: integer("last_delivered_at"),
  },
  (t) => [index("push_subscriptions_user_idx").on(t.userId)],
);

/**
 * What a user wants pushed to their devices. The inbox keeps every notification whatever this
 * says; these settings govern push only. No row: every type on, no quiet hours.
 */
export const pushSettings = sqliteTable("push_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** JSON array of the notification types not to push. */
  mutedTypes: text("muted_types", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Quiet hours as minutes after local midnight in `timeZone`; both null when off. */
  quietStart: integer("quiet_start"),
  quietEnd: integer("quiet_end"),
  /** IANA time zone the quiet hours are in ("Europe/Paris"). */
  timeZone: text("time_zone").notNull().default("UTC"),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
