import { eq } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { pushSettings } from "../../db/schema/index.ts";
import { PUSH_NOTIFICATION_TYPES, type PushNotificationType } from "./notification-shape.ts";
import { clockToMinutes, minutesToClock, type QuietHours } from "./quiet-hours.ts";

/** A user's push settings as the API shows them: every type on or off, and the quiet hours if any. */
export type PushSettingsView = {
  types: Record<PushNotificationType, boolean>;
  quietHours: { start: string; end: string; timeZone: string } | null;
};

export type PushSettingsChange = {
  types?: Partial<Record<PushNotificationType, boolean>>;
  quietHours?: { start: string; end: string; timeZone: string } | null;
};

/** What deliverPush needs: the muted types and the quiet window. */
export type PushRules = { muted: ReadonlySet<string>; quiet: QuietHours | null };

type SettingsRow = typeof pushSettings.$inferSelect;

function rulesOf(row: SettingsRow | undefined): PushRules {
  if (!row) return { muted: new Set(), quiet: null };
  const quiet =
    row.quietStart === null || row.quietEnd === null
      ? null
      : { start: row.quietStart, end: row.quietEnd, timeZone: row.timeZone };
  return { muted: new Set(row.mutedTypes), quiet };
}

function viewOf(rules: PushRules): PushSettingsView {
  const types = Object.fromEntries(PUSH_NOTIFICATION_TYPES.map((type) => [type, !rules.muted.has(type)])) as Record<
    PushNotificationType,
    boolean
  >;
  const quietHours = rules.quiet && {
    start: minutesToClock(rules.quiet.start),
    end: minutesToClock(rules.quiet.end),
    timeZone: rules.quiet.timeZone,
  };
  return { types, quietHours };
}

async function settingsRow(d1: D1Database, userId: string): Promise<SettingsRow | undefined> {
  return getDb(d1).select().from(pushSettings).where(eq(pushSettings.userId, userId)).get();
}

export async function getPushRules(d1: D1Database, userId: string): Promise<PushRules> {
  return rulesOf(await settingsRow(d1, userId));
}

export async function getPushSettings(d1: D1Database, userId: string): Promise<PushSettingsView> {
  return viewOf(await getPushRules(d1, userId));
}

/** Applies a partial change (types not named keep their setting) and returns the new settings. */
export async function updatePushSettings(
  d1: D1Database,
  userId: string,
  change: PushSettingsChange,
): Promise<PushSettingsView> {
  const current = rulesOf(await settingsRow(d1, userId));
  const muted = new Set(current.muted);
  for (const [type, on] of Object.entries(change.types ?? {})) {
    if (on) muted.delete(type);
    else muted.add(type);
  }
  let quiet = current.quiet;
  if (change.quietHours === null) quiet = null;
  else if (change.quietHours) {
    quiet = {
      start: clockToMinutes(change.quietHours.start),
      end: clockToMinutes(change.quietHours.end),
      timeZone: change.quietHours.timeZone,
    };
  }
  const values = {
    mutedTypes: PUSH_NOTIFICATION_TYPES.filter((type) => muted.has(type)),
    quietStart: quiet?.start ?? null,
    quietEnd: quiet?.end ?? null,
    timeZone: quiet?.timeZone ?? current.quiet?.timeZone ?? "UTC",
    updatedAt: Date.now(),
  };
  await getDb(d1)
    .insert(pushSettings)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: pushSettings.userId, set: values })
    .run();
  return viewOf({ muted: new Set(values.mutedTypes), quiet });
}
