import { hc } from "hono/client";
import type { AppType } from "../../workers/app.ts";
import { useSession } from "./stores/session.ts";

let refreshing: Promise<string | null> | null = null;

/** Exchanges the HttpOnly refresh cookie for a new access token; one request at a time. */
export function refreshAccessToken(): Promise<string | null> {
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
    return body.error?.message ?? `Request failed (${response.status}).`;
  } catch {
    return `Request failed (${response.status}).`;
  }
}
