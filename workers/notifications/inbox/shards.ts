/**
 * Inboxes are spread over a fixed number of objects by a hash of the user id. Fixed: changing it
 * would move users to objects that do not hold their inboxes. 64 objects keep each one's share
 * of the traffic small while a fan-out to 100,000 followers wakes at most 64 of them (a
 * per-user object would start 100,000 objects, each with its own SQLite database).
 */
export const INBOX_SHARDS = 64;

/** FNV-1a over the id's UTF-16 units: stable, fast, evenly spread for random ids. */
export function inboxShard(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % INBOX_SHARDS;
}

export function inboxShardName(userId: string): string {
  return `inbox-shard:${inboxShard(userId)}`;
}
