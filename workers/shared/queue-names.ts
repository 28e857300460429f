/**
 * Queue names are account-wide, so staging and production suffix theirs ("transcode-staging",
 * "plays-dlq-production"; see wrangler.toml). The consumer dispatch works on the logical name.
 */
export function logicalQueueName(queue: string): string {
  return queue.replace(/-(staging|production)$/, "");
}
