import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../../auth/route-presets.ts";
import { ApiError, badRequest, notFound } from "../../shared/errors.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
  patchBody,
} from "../../shared/openapi.ts";
import { isKnownTimeZone } from "./quiet-hours.ts";
import { getPushSettings, updatePushSettings } from "./settings.ts";
import { endpointProblem, isOnCurve, normalisedKeys, SubscriptionBody } from "./subscription-input.ts";
import { listSubscriptions, removeSubscription, saveSubscription, toDeviceSummary } from "./subscriptions.ts";
import { VapidConfigError, vapidKeys } from "./vapid.ts";

const PublicKeySchema = z
  .object({
    publicKey: z
      .string()
      .openapi({ description: "base64url P-256 point for pushManager.subscribe's applicationServerKey" }),
  })
  .openapi("PushPublicKey");

const DeviceSchema = z
  .object({
    id: z.string(),
    endpoint: z.string(),
    userAgent: z.string(),
    createdAt: z.string(),
    lastDeliveredAt: z.string().nullable(),
  })
  .openapi("PushDevice");

const typeSwitch = z.boolean().optional();
const TypeSwitches = z
  .object({
    follow: typeSwitch,
    like: typeSwitch,
    comment: typeSwitch,
    mention: typeSwitch,
    dm: typeSwitch,
    "track.ready": typeSwitch,
    "track.failed": typeSwitch,
    new_track: typeSwitch,
    party: typeSwitch,
  })
  .strict();
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM (24-hour)");
const QuietHoursSchema = z
  .object({
    start: Clock,
    end: Clock,
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine(isKnownTimeZone, "timeZone must be an IANA time zone such as Europe/Paris"),
  })
  .refine((q) => q.start !== q.end, "quiet hours must start and end at different times")
  .openapi("QuietHours", { description: "Daily, in the user's time zone; may cross midnight (22:00–07:00)" });

const SettingsSchema = z
  .object({
    types: z.object({
      follow: z.boolean(),
      like: z.boolean(),
      comment: z.boolean(),
      mention: z.boolean(),
      dm: z.boolean(),
      "track.ready": z.boolean(),
      "track.failed": z.boolean(),
      new_track: z.boolean(),
      party: z.boolean(),
    }),
    quietHours: QuietHoursSchema.nullable(),
  })
  .openapi("NotificationSettings", {
    description:
      "What is pushed to the user's devices. The inbox keeps every notification; these govern push only. " +
      "During quiet hours push messages arrive silent (no sound or vibration).",
  });

const getPublicKey = createRoute({
  ...endpoint("get", "/me/push/public-key", "notifications"),
  summary: "The server's VAPID public key, for pushManager.subscribe",
  ...signedIn({
    200: jsonResponse(PublicKeySchema, "The key"),
    503: errorResponse("Web Push is not configured on this server"),
  }),
});

const listDevices = createRoute({
  ...endpoint("get", "/me/push/subscriptions", "notifications"),
  summary: "Devices that receive push notifications",
  ...signedIn({ 200: jsonResponse(pageOf(DeviceSchema), "Your subscribed devices, oldest first") }),
});

const subscribe = createRoute({
  ...endpoint("post", "/me/push/subscriptions", "notifications"),
  summary: "Subscribe this device (the browser's PushSubscription.toJSON(), plus the app's locale)",
  request: jsonBody(SubscriptionBody),
  ...signedIn({
    200: jsonResponse(DeviceSchema, "Already subscribed: its keys and locale are updated"),
    201: jsonResponse(DeviceSchema, "Subscribed"),
  }),
});

const unsubscribeById = createRoute({
  ...endpoint("delete", "/me/push/subscriptions/{id}", "notifications"),
  summary: "Stop pushing to one of your devices",
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Removed" }, 404: errorResponse("No such device of yours") }),
});

const unsubscribeByEndpoint = createRoute({
  ...endpoint("post", "/me/push/subscriptions/remove", "notifications"),
  summary: "Stop pushing to this device, named by its endpoint (after PushSubscription.unsubscribe())",
  request: jsonBody(z.object({ endpoint: z.string().min(1).max(2048) })),
  ...signedIn({ 204: { description: "Removed, or was not subscribed" } }),
});

const getSettings = createRoute({
  ...endpoint("get", "/me/notification-settings", "notifications"),
  ...signedIn({ 200: jsonResponse(SettingsSchema, "Your push settings") }),
});

const patchSettings = createRoute({
  ...endpoint("patch", "/me/notification-settings", "notifications"),
  summary: "Turn push on or off per notification type; set quiet hours (null: none)",
  request: jsonBody(patchBody({ types: TypeSwitches, quietHours: QuietHoursSchema.nullable() })),
  ...signedIn({ 200: jsonResponse(SettingsSchema, "Your push settings, changed") }),
});

const pushUnavailable = (why: string) =>
  new ApiError(503, "push_unavailable", `Push notifications are not available on this server: ${why}.`);

export const pushRoutes = createRouter()
  .openapi(getPublicKey, async (c) => {
    try {
      return c.json({ publicKey: (await vapidKeys(c.env)).publicKey }, 200);
    } catch (error) {
      if (error instanceof VapidConfigError) throw pushUnavailable(error.message);
      throw error;
    }
  })
  .openapi(listDevices, async (c) => {
    const rows = await listSubscriptions(c.env.DB, c.var.viewer.id);
    return c.json({ items: rows.map(toDeviceSummary), nextCursor: null }, 200);
  })
  .openapi(subscribe, async (c) => {
    const body = c.req.valid("json");
    const problem = endpointProblem(body.endpoint, c.env);
    if (problem) throw badRequest(problem, { issues: [{ path: "endpoint", message: problem }] });
    const keys = normalisedKeys(body);
    if (!(await isOnCurve(keys.p256dh))) {
      const message = "p256dh is not a point on the P-256 curve";
      throw badRequest(message, { issues: [{ path: "keys.p256dh", message }] });
    }
    const { subscription, created } = await saveSubscription(c.env.DB, c.var.viewer.id, {
      endpoint: body.endpoint,
      ...keys,
      locale: body.locale ?? "en",
      userAgent: (c.req.header("user-agent") ?? "").slice(0, 200),
    });
    return created ? c.json(toDeviceSummary(subscription), 201) : c.json(toDeviceSummary(subscription), 200);
  })
  .openapi(unsubscribeById, async (c) => {
    const removed = await removeSubscription(c.env.DB, c.var.viewer.id, { id: c.req.valid("param").id });
    if (!removed) throw notFound("Device");
    return c.body(null, 204);
  })
  .openapi(unsubscribeByEndpoint, async (c) => {
    await removeSubscription(c.env.DB, c.var.viewer.id, { endpoint: c.req.valid("json").endpoint });
    return c.body(null, 204);
  })
  .openapi(getSettings, async (c) => c.json(await getPushSettings(c.env.DB, c.var.viewer.id), 200))
  .openapi(patchSettings, async (c) =>
    c.json(await updatePushSettings(c.env.DB, c.var.viewer.id, c.req.valid("json")), 200),
  );
