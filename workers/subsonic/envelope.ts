/**
 * The `subsonic-response` envelope in its three renderings: XML (the default), JSON (`f=json`)
 * and JSONP (`f=jsonp&callback=…`). A payload is a plain tree: primitive fields are attributes,
 * objects are child elements, arrays are repeated child elements, and a field named `value` is
 * the element's text (as Subsonic's JSON writes it).
 */

export const API_VERSION = "1.16.1";
export const SERVER_TYPE = "veza";
const XML_NAMESPACE = "http://subsonic.org/restapi";

export type Scalar = string | number | boolean;
export type Field = Scalar | null | undefined | Payload | Payload[] | Scalar[];
export type Payload = { [name: string]: Field };

/** The error codes of the Subsonic API and its OpenSubsonic additions. */
export const SubsonicCode = {
  generic: 0,
  missingParameter: 10,
  clientTooOld: 20,
  serverTooOld: 30,
  wrongCredentials: 40,
  tokenAuthNotSupported: 41,
  mechanismNotSupported: 42,
  conflictingMechanisms: 43,
  invalidApiKey: 44,
  notAuthorized: 50,
  notFound: 70,
} as const;
export type SubsonicCode = (typeof SubsonicCode)[keyof typeof SubsonicCode];

/** An error a Subsonic client should see in the envelope (HTTP 200, as clients expect, unless `httpStatus`). */
export class SubsonicError extends Error {
  constructor(
    readonly code: SubsonicCode,
    message: string,
    readonly options: { helpUrl?: string; httpStatus?: 200 | 404 | 429; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const missingParameter = (name: string) =>
  new SubsonicError(SubsonicCode.missingParameter, `Required parameter '${name}' is missing.`);
export const notFound = (what: string) => new SubsonicError(SubsonicCode.notFound, `${what} not found.`);
export const notAuthorized = (message: string) => new SubsonicError(SubsonicCode.notAuthorized, message);
export const badValue = (name: string, message: string) =>
  new SubsonicError(SubsonicCode.generic, `Parameter '${name}': ${message}`);

export type Format = { kind: "xml" } | { kind: "json" } | { kind: "jsonp"; callback: string };

const CALLBACK = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** The rendering a request asks for; a JSONP callback must be a plain JavaScript name. */
export function formatOf(f: string | undefined, callback: string | undefined): Format {
  if (f === "json") return { kind: "json" };
  if (f === "jsonp" && callback && CALLBACK.test(callback)) return { kind: "jsonp", callback };
  if (f === "jsonp") return { kind: "json" };
  return { kind: "xml" };
}

function head(serverVersion: string, status: "ok" | "failed") {
  return { status, version: API_VERSION, type: SERVER_TYPE, serverVersion, openSubsonic: true };
}

export function renderOk(format: Format, serverVersion: string, payload: Payload = {}, status = 200): Response {
  return render(format, { ...head(serverVersion, "ok"), ...payload }, status);
}

export function renderError(format: Format, serverVersion: string, error: SubsonicError): Response {
  const body: Payload = { code: error.code, message: error.message };
  if (error.options.helpUrl) body.helpUrl = error.options.helpUrl;
  const response = render(format, { ...head(serverVersion, "failed"), error: body }, error.options.httpStatus ?? 200);
  for (const [name, value] of Object.entries(error.options.headers ?? {})) response.headers.set(name, value);
  return response;
}

function render(format: Format, root: Payload, status: number): Response {
  if (format.kind === "xml") {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${element("subsonic-response", root, XML_NAMESPACE)}`;
    return new Response(xml, { status, headers: { "content-type": "application/xml; charset=utf-8" } });
  }
  const json = JSON.stringify({ "subsonic-response": root });
  if (format.kind === "jsonp") {
    return new Response(`${format.callback}(${json});`, {
      status,
      headers: { "content-type": "application/javascript; charset=utf-8" },
    });
  }
  return new Response(json, { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes text for XML, dropping characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const isScalar = (value: unknown): value is Scalar =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function element(name: string, node: Payload, namespace?: string): string {
  let attributes = namespace ? ` xmlns="${namespace}"` : "";
  let children = "";
  let text = "";
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined || value === null) continue;
    if (key === "value" && isScalar(value)) text = escapeXml(String(value));
    else if (isScalar(value)) attributes += ` ${key}="${escapeXml(String(value))}"`;
    else if (Array.isArray(value)) {
      for (const item of value) {
        children += isScalar(item) ? `<${key}>${escapeXml(String(item))}</${key}>` : element(key, item);
      }
    } else children += element(key, value);
  }
  const content = text + children;
  return content ? `<${name}${attributes}>${content}</${name}>` : `<${name}${attributes}/>`;
}
