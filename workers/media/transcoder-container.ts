import { Container } from "@cloudflare/containers";
import type { Env } from "../env.ts";

/** The ffmpeg transcoder (transcoder/Dockerfile) as a Cloudflare Container, used in production. */
export class TranscoderContainer extends Container<Env> {
  override defaultPort = 8080;
  override sleepAfter = "5m";

  constructor(ctx: ConstructorParameters<typeof Container<Env>>[0], env: Env) {
    super(ctx, env);
    // The container verifies every job with the secret the queue consumer signs it with.
    this.envVars = { TRANSCODER_SECRET: env.TRANSCODER_SECRET ?? "" };
  }
}
