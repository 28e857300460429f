import type { EnvironmentResources } from "./environments.ts";

/** What the account already has, as listed by wrangler. */
export interface AccountListing {
  databases: { name: string; uuid: string }[];
  buckets: string[];
  queues: string[];
}

export type Creation = { kind: "d1"; name: string } | { kind: "r2"; name: string } | { kind: "queue"; name: string };

/** Resources missing from the account, in creation order (dead-letter queues are plain queues). */
export function missingResources(wanted: EnvironmentResources, have: AccountListing): Creation[] {
  const missing: Creation[] = [];
  if (!have.databases.some((db) => db.name === wanted.database.name)) {
    missing.push({ kind: "d1", name: wanted.database.name });
  }
  for (const bucket of wanted.buckets) if (!have.buckets.includes(bucket)) missing.push({ kind: "r2", name: bucket });
  for (const queue of wanted.queues) if (!have.queues.includes(queue)) missing.push({ kind: "queue", name: queue });
  return missing;
}

/** `wrangler r2 bucket list` prints labelled blocks ("name:  veza-media"). */
export function parseBucketList(output: string): string[] {
  return [...output.matchAll(/^name:\s+(\S+)\s*$/gm)].map((match) => match[1] ?? "");
}

/** `wrangler queues list` prints a box table; every cell is a candidate name (ids never collide with names). */
export function parseQueueTable(output: string): string[] {
  const cells = new Set<string>();
  for (const line of output.split("\n")) {
    if (!/[│|]/.test(line)) continue;
    for (const cell of line.split(/[│|]/)) {
      const value = cell.trim();
      if (value) cells.add(value);
    }
  }
  return [...cells];
}

const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

export function isPlaceholderId(id: string | undefined): boolean {
  return !id || PLACEHOLDER_ID.test(id);
}

/**
 * Sets `database_id` of `[[env.<env>.d1_databases]]` in wrangler.toml's text (the first block of that
 * environment), leaving every other line as it was. Throws when the block or its key is missing.
 */
export function withDatabaseId(toml: string, env: string, id: string): string {
  const lines = toml.split("\n");
  const header = lines.indexOf(`[[env.${env}.d1_databases]]`);
  if (header < 0) throw new Error(`wrangler.toml has no [[env.${env}.d1_databases]] block`);
  for (let i = header + 1; i < lines.length && !lines[i]?.startsWith("["); i++) {
    if (/^database_id\s*=/.test(lines[i] ?? "")) {
      lines[i] = `database_id = "${id}"`;
      return lines.join("\n");
    }
  }
  throw new Error(`[[env.${env}.d1_databases]] in wrangler.toml has no database_id line`);
}
