import { vi } from "vitest";
import type { PartyFrame, PartyState } from "../party/party-protocol.ts";
import type { ChatClient } from "./fixtures.ts";

export type PartyReply = { state: PartyState | null } | { error: string };

/** Sends a party command and waits for what answers it: the new state, or an error frame. */
export async function party(
  client: ChatClient,
  action: PartyFrame["action"],
  extra: Omit<Partial<PartyFrame>, "type" | "action"> = {},
): Promise<PartyReply> {
  const from = client.frames.length;
  client.send({ type: "party", action, ...extra });
  return vi.waitFor(
    () => {
      const answer = client.frames.slice(from).find((f) => f.type === "party" || f.type === "error");
      if (answer?.type === "party") return { state: answer.state };
      if (answer?.type === "error") return { error: answer.code };
      throw new Error("no answer yet");
    },
    { timeout: 5_000, interval: 10 },
  );
}

/** The state of a reply that must have succeeded. */
export function stateOf(reply: PartyReply): PartyState {
  if ("error" in reply) throw new Error(`party command refused: ${reply.error}`);
  if (!reply.state) throw new Error("the party ended");
  return reply.state;
}

/** Every party state a client has seen, in order of arrival (hello's included). */
export function partyStates(client: ChatClient): (PartyState | null)[] {
  return client.frames.flatMap((f) => (f.type === "hello" ? [f.party] : f.type === "party" ? [f.state] : []));
}

export async function nextParty(client: ChatClient, match: (state: PartyState | null) => boolean, from = 0) {
  return (await client.next("party", (f) => match(f.state), from)).state;
}
