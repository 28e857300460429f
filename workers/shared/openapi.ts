import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppBindings } from "../env.ts";
import { ERROR_CODES, errorBody } from "./errors.ts";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

/** A router for one domain: request validation failures become the 400 error envelope. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({
          path: issue.path.join("."),
          message: issue.message,
        }));
        const first = issues[0];
        const message = first ? `${first.path || "request"}: ${first.message}` : "The request is not valid.";
        return c.json(errorBody("validation_failed", message, { issues }), 400);
      }
    },
  });
}

export function jsonBody<T extends z.ZodType>(schema: T, description = "JSON body") {
  return { body: { content: { "application/json": { schema } }, required: true, description } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

export const errorResponse = (description: string) => jsonResponse(ErrorSchema, description);

/** The error responses nearly every route can give. */
export const commonErrors = {
  400: errorResponse("The request is not valid"),
  401: errorResponse("Not signed in, or the session ended"),
  429: errorResponse("Rate limited; see Retry-After"),
} as const;

/** Cursor-paginated list envelope: `{items, nextCursor}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Path parameter for any id (ids are short strings; anything longer cannot exist). */
export const IdParam = z.string().min(1).max(64);
export const IdParams = z.object({ id: IdParam });

/** A PATCH body: every field optional, and at least one of them present. */
export function patchBody<T extends z.ZodRawShape>(fields: T) {
  return z
    .object(fields)
    .partial()
    .refine((body) => Object.keys(body).length > 0, "Send at least one field to change.");
}

export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

type Method = "get" | "post" | "put" | "patch" | "delete";

/** The first line of a route declaration: `createRoute({ ...endpoint("get", "/things/{id}", "things"), … })`. */
export function endpoint<const M extends Method, const P extends string>(method: M, path: P, tag: string) {
  return { method, path, tags: [tag] };
}
