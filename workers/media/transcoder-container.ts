import { Container } from "@cloudflare/containers";

/** The ffmpeg transcoder (transcoder/Dockerfile) as a Cloudflare Container, used in production. */
export class TranscoderContainer extends Container {
  override defaultPort = 8080;
  override sleepAfter = "5m";
}
