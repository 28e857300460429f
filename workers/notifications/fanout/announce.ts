import type { Env } from "../../env.ts";
import { errorFields, log } from "../../shared/log.ts";
import type { FanoutMessage } from "./fanout-message.ts";

async function enqueue(env: Pick<Env, "NOTIFY_QUEUE">, message: FanoutMessage): Promise<void> {
  try {
    await env.NOTIFY_QUEUE.send(message, { contentType: "json" });
  } catch (error) {
    // The track is published or the party started either way; only the announcement is lost.
    log("error", "notification.fanout_enqueue_failed", { kind: message.kind, ...errorFields(error) });
  }
}

/** A public, ready track: its artist's followers hear of it through the fan-out queue. */
export function announceNewTrack(env: Pick<Env, "NOTIFY_QUEUE">, trackId: string): Promise<void> {
  return enqueue(env, { kind: "new_track", trackId });
}

/** A listening party started: the room's members (and the host's followers, for a public room) hear of it. */
export function announceParty(
  env: Pick<Env, "NOTIFY_QUEUE">,
  party: { roomId: string; hostId: string; startedAt: number },
): Promise<void> {
  return enqueue(env, { kind: "party", ...party });
}
