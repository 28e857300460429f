import { navigate } from "../lib/router.ts";
import { NAVIGATE_MESSAGE } from "./sw-messages.ts";

/** A click on a push notification while the app is open navigates in place, without a reload. */
export function followServiceWorkerNavigation(): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    const data = event.data as { type?: unknown; url?: unknown } | null;
    if (data?.type === NAVIGATE_MESSAGE && typeof data.url === "string" && data.url.startsWith("/")) {
      navigate(data.url);
    }
  });
}
