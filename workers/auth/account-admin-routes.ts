import { createRoute, z } from "@hono/zod-openapi";
import { ACCOUNT_STATUSES, ROLES } from "../db/schema/index.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { changeRole, disableAccount, enableAccount } from "./account-admin.ts";
import { adminOnly } from "./route-presets.ts";
import { AdminReason as Reason } from "./schemas.ts";

const adminErrors = { 403: errorResponse("Not an admin"), 404: errorResponse("Not found") };

const AccountState = z
  .object({ id: z.string(), username: z.string(), status: z.enum(["active", "disabled"]) })
  .openapi("AccountState");

function accountRoute(action: "disable" | "enable") {
  return createRoute({
    method: "post",
    path: `/admin/users/{username}/${action}`,
    tags: ["admin"],
    summary: action === "disable" ? "Disable an account: its sessions end at once" : "Re-enable a disabled account",
    request: {
      params: z.object({ username: z.string().min(1).max(60) }),
      ...jsonBody(z.object({ reason: Reason })),
    },
    ...adminOnly({
      200: jsonResponse(AccountState, "The account's new state (unchanged and not logged if it was already so)"),
      ...adminErrors,
    }),
  });
}

const RoleState = z
  .object({ id: z.string(), username: z.string(), role: z.enum(ROLES), status: z.enum(ACCOUNT_STATUSES) })
  .openapi("RoleState");

const setRoleRoute = createRoute({
  ...endpoint("post", "/admin/users/{username}/role", "admin"),
  summary: "Change an account's role; the last admin cannot be demoted",
  request: {
    params: z.object({ username: z.string().min(1).max(60) }),
    ...jsonBody(z.object({ role: z.enum(ROLES), reason: Reason })),
  },
  ...adminOnly({
    200: jsonResponse(RoleState, "The account's role now"),
    409: errorResponse("The last admin cannot be demoted"),
    ...adminErrors,
  }),
});

/** Admins disable, re-enable and change the role of accounts; each change is in the audit log. */
export const accountAdminRoutes = createRouter()
  .openapi(accountRoute("disable"), async (c) =>
    c.json(
      await disableAccount(c.var.db, c.var.viewer, c.req.valid("param").username, c.req.valid("json").reason),
      200,
    ),
  )
  .openapi(accountRoute("enable"), async (c) =>
    c.json(await enableAccount(c.var.db, c.var.viewer, c.req.valid("param").username, c.req.valid("json").reason), 200),
  )
  .openapi(setRoleRoute, async (c) => {
    const { role, reason } = c.req.valid("json");
    return c.json(await changeRole(c.var.db, c.var.viewer, c.req.valid("param").username, role, reason), 200);
  });
