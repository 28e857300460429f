import type { AuthUser } from "../auth/types.ts";
import type { Viewer } from "../catalog/visibility.ts";
import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";
import type { Payload } from "./envelope.ts";
import type { Params } from "./params.ts";

/** Everything one Subsonic method needs: the signed-in caller, their parameters, the bindings. */
export type Call = {
  env: Env;
  ctx: Pick<ExecutionContext, "waitUntil">;
  request: Request;
  params: Params;
  db: Db;
  user: AuthUser;
  viewer: NonNullable<Viewer>;
  ip: string;
};

/** A method answers with a payload for the envelope, or a response of its own (audio, images). */
export type Method = (call: Call) => Promise<Payload | Response>;
