import { hc } from "hono/client";
import type { AppType } from "../../workers/api-types.ts";
import { t } from "./i18n/i18n.ts";
import { hasSessionHint, useSession } from "./stores/session.ts";

let refreshing: Promise<string | null> | null = null;

/** Exchanges the HttpOnly refresh cookie for a new access token; one request at a time. */
export function refreshAccessToken(): Promise<string | null> {
  if (!hasSessionHint()) return Promise.resolve(null);
  refreshing ??= fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" })
    .then(async (response) => {
      if (!response.ok) {
        useSession.getState().signedOut();
        return null;
      }
      const { accessToken } = (await response.json()) as { accessToken: string };
      useSession.getState().tokenRefreshed(accessToken);
      return accessToken;
    })
    .catch(() => null)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** fetch with the access token attached; on a 401 it refreshes once and retries. */
export async function authedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers, credentials: "same-origin" });
  };
  const token = useSession.getState().accessToken;
  const response = await send(token);
  if (response.status !== 401 || !token) return response;
  const fresh = await refreshAccessToken();
  return fresh ? send(fresh) : response;
}

/** The typed API client: request and response shapes come from the Worker's route schemas. */
export const api = hc<AppType>("/", { fetch: authedFetch }).api.v1;

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

/** The human sentence from an error envelope, or a generic one. */
export async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as ApiErrorBody;
    return body.error?.message ?? t("app.requestFailed", { status: response.status });
  } catch {
    return t("app.requestFailed", { status: response.status });
  }
}

/** An API failure, carrying the envelope's code and the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

type Answer = { ok: boolean; status: number; json(): Promise<unknown>; clone(): Response };
type OkBody<R> = R extends { ok: true; json(): Promise<infer T> } ? T : never;

/** The body of a successful typed-client response; a failure throws an ApiError with the envelope's message. */
export async function unwrap<R extends Answer>(pending: Promise<R> | R): Promise<OkBody<R>> {
  let response: R;
  try {
    response = await pending;
  } catch {
    throw new ApiError(t("app.networkError"), 0, "network");
  }
  if (!response.ok) {
    let code = "error";
    try {
      code = ((await response.clone().json()) as ApiErrorBody).error?.code ?? code;
    } catch {}
    throw new ApiError(await errorMessage(response as unknown as Response), response.status, code);
  }
  // 204 No Content (deletes, unlikes) has no body to read.
  if (response.status === 204) return undefined as OkBody<R>;
  return (await response.json()) as OkBody<R>;
}
