import { getPushSettings } from "./settings.ts";
import { listSubscriptions, toDeviceSummary } from "./subscriptions.ts";

/** The user's push settings and devices for their data export (endpoints and dates; never the keys). */
export async function pushDataOf(d1: D1Database, userId: string) {
  const [settings, devices] = await Promise.all([getPushSettings(d1, userId), listSubscriptions(d1, userId)]);
  return { settings, devices: devices.map(toDeviceSummary) };
}
