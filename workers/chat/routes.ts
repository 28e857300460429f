import { createRouter } from "../shared/openapi.ts";
import { connectRoutes } from "./connect-routes.ts";
import { dmRoutes } from "./dm-routes.ts";
import { membershipRoutes } from "./membership-routes.ts";
import { moderationRoutes } from "./moderation-routes.ts";
import { moderatorRoutes } from "./moderator-routes.ts";
import { partyRoutes } from "./party/party-routes.ts";
import { roomRoutes } from "./room-routes.ts";
import { statusRoutes } from "./status-routes.ts";

/** Rooms, DMs, tickets and the room WebSocket, moderation, invitations, blocks and reports; global status. */
export const chatRoutes = createRouter()
  .route("/", roomRoutes)
  .route("/", connectRoutes)
  .route("/", moderationRoutes)
  .route("/", moderatorRoutes)
  .route("/", membershipRoutes)
  .route("/", dmRoutes)
  .route("/", statusRoutes)
  .route("/", partyRoutes);
