import { ApiError, authedFetch, errorMessage } from "../api.ts";
import { t } from "../i18n/i18n.ts";

export type ExportFile = { blob: Blob; filename: string };

/** The file name the server gave the archive (Content-Disposition), or a sensible one. */
export function filenameOf(disposition: string | null): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? "");
  return match?.[1] ?? "veza-export.json";
}

/**
 * Downloads the account's data archive, reporting the bytes received as they stream in (the
 * archive is produced while it is sent, so its size is not known in advance).
 */
export async function fetchExport(onProgress: (bytes: number) => void): Promise<ExportFile> {
  let response: Response;
  try {
    response = await authedFetch("/api/v1/me/export");
  } catch {
    throw new ApiError(t("app.networkError"), 0, "network");
  }
  if (!response.ok || !response.body) {
    throw new ApiError(await errorMessage(response), response.status, "export_failed");
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress(received);
    }
  } catch {
    // The server ends the stream early when it fails midway: a partial file is no archive.
    throw new ApiError(t("data.export.interrupted"), 0, "export_interrupted");
  }
  return {
    blob: new Blob(chunks as BlobPart[], { type: "application/json" }),
    filename: filenameOf(response.headers.get("content-disposition")),
  };
}

/** Hands a file to the browser's downloads. */
export function saveFile({ blob, filename }: ExportFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
