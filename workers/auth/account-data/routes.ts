import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../../shared/openapi.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { reauthenticate } from "../reauth.ts";
import { signedIn } from "../route-presets.ts";
import { mailDeletionScheduled } from "./deletion-mail.ts";
import { assertNotLastAdmin, DELETION_GRACE_MS, scheduleDeletion } from "./deletion-schedule.ts";
import { EXPORT_FORMAT, EXPORT_VERSION, exportArchive, exportFilename } from "./export-archive.ts";

const DeleteAccountBody = z.object({ password: z.string().min(1).max(256) });
const DeletionScheduled = z
  .object({
    deletionScheduledFor: z.string().openapi({ description: "When the account is erased unless you sign in before" }),
    gracePeriodDays: z.number().int(),
  })
  .openapi("DeletionScheduled");

const exportRoute = createRoute({
  ...endpoint("get", "/me/export", "me"),
  summary: `Everything about you as one JSON file (format "${EXPORT_FORMAT}", version ${EXPORT_VERSION}), streamed`,
  ...signedIn({
    200: { description: "The archive: a JSON file (application/json) sent as an attachment, streamed" },
    429: errorResponse("Too many exports; try later"),
  }),
});

const deleteMeRoute = createRoute({
  ...endpoint("delete", "/me", "me"),
  summary: "Schedule the account's deletion (7 days); signs out everywhere; signing in before then cancels it",
  request: jsonBody(DeleteAccountBody),
  ...signedIn({
    202: jsonResponse(DeletionScheduled, "Deletion scheduled; every session has ended"),
    403: errorResponse("The password is wrong"),
    409: errorResponse("The last admin cannot delete their account"),
    429: errorResponse("Too many wrong passwords; wait"),
  }),
});

/** "Your data": the export and account deletion. */
export const accountDataRoutes = createRouter()
  .openapi(exportRoute, async (c) => {
    const me = c.var.viewer;
    await enforceRateLimit(c.env, "export:user", me.id);
    return new Response(exportArchive(c.env, me.id), {
      status: 200,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFilename(me.username)}"`,
        "cache-control": "no-store",
      },
    });
  })
  .openapi(deleteMeRoute, async (c) => {
    const me = c.var.viewer;
    await reauthenticate(c.env, me.id, c.req.valid("json").password);
    await assertNotLastAdmin(c.env.DB, me.id);
    const { dueAt, user } = await scheduleDeletion(c.env, me.id);
    if (user) c.executionCtx.waitUntil(mailDeletionScheduled(c.env, user, dueAt));
    return c.json(
      {
        deletionScheduledFor: new Date(dueAt).toISOString(),
        gracePeriodDays: Math.round(DELETION_GRACE_MS / (24 * 3600 * 1000)),
      },
      202,
    );
  });
