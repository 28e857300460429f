import { api, errorMessage } from "../api.ts";

/**
 * This browser's push subscription: turning push on (the permission prompt comes only from here,
 * after the user asked) and off, and telling the server. Nothing here runs on page load.
 */

export type PushProblem = "unsupported" | "denied" | "dismissed" | "unavailable" | "failed";

export class PushSetupError extends Error {
  constructor(
    readonly problem: PushProblem,
    message: string = problem,
  ) {
    super(message);
  }
}

export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window
  );
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.ready;
}

/** This browser's subscription, if any (never waits for a service worker that is not there). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

function bytesOf(base64url: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options.applicationServerKey;
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

async function serverKey(): Promise<Uint8Array<ArrayBuffer>> {
  const response = await api.me.push["public-key"].$get();
  if (response.status === 503) throw new PushSetupError("unavailable");
  if (!response.ok) throw new PushSetupError("failed", await errorMessage(response));
  return bytesOf((await response.json()).publicKey);
}

/** Tells the server about this browser's subscription (again: it also refreshes the language). */
export async function registerSubscription(subscription: PushSubscription, locale: string): Promise<void> {
  const json = subscription.toJSON();
  const response = await api.me.push.subscriptions.$post({
    json: {
      endpoint: subscription.endpoint,
      expirationTime: json.expirationTime ?? null,
      keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
      locale,
    },
  });
  if (!response.ok) throw new PushSetupError("failed", await errorMessage(response));
}

/** Asks for permission (the browser's prompt), subscribes this browser and registers it. */
export async function enablePush(locale: string): Promise<void> {
  if (!pushSupported()) throw new PushSetupError("unsupported");
  const key = await serverKey();
  const permission = await Notification.requestPermission();
  if (permission === "denied") throw new PushSetupError("denied");
  if (permission !== "granted") throw new PushSetupError("dismissed");
  const manager = (await registration()).pushManager;
  let subscription = await manager.getSubscription();
  // A subscription made with another server key (the key pair was rotated) cannot be pushed to.
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  try {
    subscription ??= await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    throw new PushSetupError("failed", error instanceof Error ? error.message : String(error));
  }
  try {
    await registerSubscription(subscription, locale);
  } catch (error) {
    await subscription.unsubscribe().catch(() => {});
    throw error;
  }
}

/**
 * Stops push to this browser: the server forgets it, then the browser unsubscribes. Signing out
 * does it too, so the next person on a shared browser does not get the previous one's notifications.
 */
export async function disablePush(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  const response = await api.me.push.subscriptions.remove.$post({ json: { endpoint: subscription.endpoint } });
  if (!response.ok) throw new PushSetupError("failed", await errorMessage(response));
  await subscription.unsubscribe();
}
