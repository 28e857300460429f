import { refreshAccessToken } from "../api.ts";
import { t } from "../i18n/i18n.ts";
import { useSession } from "../stores/session.ts";

/** The request never reached the server (or its answer never came back). */
export class NetworkFailure extends Error {}

function sendOnce(url: string, body: Blob, onBytes: (sent: number) => void, signal?: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    const token = useSession.getState().accessToken;
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (event) => onBytes(event.loaded);
    xhr.onload = () => resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status }));
    xhr.onerror = () => reject(new NetworkFailure(t("upload.networkFailed")));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/**
 * PUTs `body` with XMLHttpRequest, the only browser API that reports upload progress, with the
 * access token; on a 401 it refreshes the token once and sends again.
 */
export async function putWithProgress(
  url: string,
  body: Blob,
  onBytes: (sent: number) => void,
  signal?: AbortSignal,
): Promise<Response> {
  const response = await sendOnce(url, body, onBytes, signal);
  if (response.status === 401 && (await refreshAccessToken())) return sendOnce(url, body, onBytes, signal);
  return response;
}
