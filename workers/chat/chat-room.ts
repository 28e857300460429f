import { DurableObject } from "cloudflare:workers";

/**
 * One chat room (or listening party). Declared now so the binding and its storage class exist
 * from the first deploy; the room protocol in DESIGN.md ("Chat and presence") is its own issue.
 */
export class ChatRoom extends DurableObject {
  override async fetch(): Promise<Response> {
    return Response.json(
      { error: { code: "not_available", message: "Live rooms are not available yet." } },
      { status: 501 },
    );
  }
}
