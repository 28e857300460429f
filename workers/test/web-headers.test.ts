import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const BASE = "https://veza.test";

function directivesOf(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(" ") + 1)]),
  );
}

describe("the web app's security headers", () => {
  it("are sent on the HTML, an SPA route, the service worker and a hashed asset", async () => {
    const html = await env.ASSETS.fetch(`${BASE}/`);
    expect(html.status).toBe(200);
    const page = await html.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(asset).toBeTruthy();
    for (const path of ["/", "/tracks/some-id", "/sw.js", asset!]) {
      // Workers static assets (the ASSETS binding) serve these before the Worker runs.
      const response = await env.ASSETS.fetch(`${BASE}${path}`, { headers: { "sec-fetch-mode": "navigate" } });
      expect(response.status, path).toBe(200);
      const csp = directivesOf(response.headers.get("content-security-policy"));
      expect(csp.get("frame-ancestors"), path).toBe("'none'");
      expect(csp.get("default-src")).toBe("'self'");
      expect(csp.get("script-src")).toBe("'self'");
      expect(csp.get("media-src")).toBe("'self' blob:");
      expect(csp.get("connect-src")).toBe("'self'");
      expect(csp.get("worker-src")).toBe("'self' blob:");
      expect(csp.get("object-src")).toBe("'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
    // The built HTML has no inline script the policy would block.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("leave the API's own headers alone", async () => {
    const response = await SELF.fetch(`${BASE}/api/v1/health`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBeNull();
  });
});
