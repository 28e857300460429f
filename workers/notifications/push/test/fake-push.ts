import { inject } from "vitest";
import { fromBase64url } from "../p256.ts";

declare module "vitest" {
  export interface ProvidedContext {
    fakePushOrigin: string;
  }
}

/** A request the fake push service (workers/test/fake-push-service.ts) received. */
export type RecordedPush = { path: string; headers: Record<string, string>; body: Uint8Array };

/**
 * An endpoint of the fake push service that answers `statuses` in turn (the last repeats):
 * `fakeEndpoint("201")`, `fakeEndpoint("503,201")`, `fakeEndpoint("410")`.
 */
export function fakeEndpoint(statuses = "201"): { endpoint: string; name: string } {
  const name = crypto.randomUUID();
  return { endpoint: `${inject("fakePushOrigin")}/push/${name}/${statuses}`, name };
}

export async function receivedBy(name: string): Promise<RecordedPush[]> {
  const response = await fetch(`${inject("fakePushOrigin")}/requests/${name}`);
  const list = (await response.json()) as { path: string; headers: Record<string, string>; body: string }[];
  return list.map((item) => ({ ...item, body: fromBase64url(item.body) }));
}
