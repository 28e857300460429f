// `npm run cf:setup -- --env <staging|production>`: creates the environment's D1 database, R2 bucket
// and queues (with their dead-letter queues) when they do not exist yet, and writes the database id
// into wrangler.toml. Safe to rerun: it lists first and only creates what is missing.
import { readFileSync, writeFileSync } from "node:fs";
import { configPath, environmentFromArgs, environmentResources } from "./environments.ts";
import {
  type AccountListing,
  isPlaceholderId,
  missingResources,
  parseBucketList,
  parseQueueTable,
  withDatabaseId,
} from "./setup-plan.ts";
import { wranglerOrExit } from "./wrangler-cli.ts";

const MAX_QUEUE_PAGES = 50;

function listAccount(): AccountListing {
  const databases = JSON.parse(wranglerOrExit(["d1", "list", "--json"]).stdout) as { name: string; uuid: string }[];
  const buckets = parseBucketList(wranglerOrExit(["r2", "bucket", "list"]).stdout);
  const queues = new Set<string>();
  for (let page = 1; page <= MAX_QUEUE_PAGES; page++) {
    const names = parseQueueTable(wranglerOrExit(["queues", "list", "--page", String(page)]).stdout);
    const before = queues.size;
    for (const name of names) queues.add(name);
    if (queues.size === before) break;
  }
  return { databases, buckets, queues: [...queues] };
}

const env = environmentFromArgs(process.argv.slice(2), "cf:setup");
const wanted = environmentResources(env);
console.log(
  `cf:setup ${env}: D1 ${wanted.database.name}, R2 ${wanted.buckets.join(", ")}, queues ${wanted.queues.join(", ")}`,
);

const missing = missingResources(wanted, listAccount());
if (missing.length === 0) console.log("Everything exists already.");
for (const resource of missing) {
  console.log(`creating ${resource.kind} ${resource.name}`);
  if (resource.kind === "d1") wranglerOrExit(["d1", "create", resource.name], { inherit: true });
  else if (resource.kind === "r2") wranglerOrExit(["r2", "bucket", "create", resource.name], { inherit: true });
  else wranglerOrExit(["queues", "create", resource.name], { inherit: true });
}

const database = listAccount().databases.find((db) => db.name === wanted.database.name);
if (!database) {
  console.error(`D1 database ${wanted.database.name} is still not listed; rerun cf:setup.`);
  process.exit(1);
}
if (wanted.database.id === database.uuid) {
  console.log(`wrangler.toml already has ${wanted.database.name}'s id (${database.uuid}).`);
} else {
  if (!isPlaceholderId(wanted.database.id)) {
    console.warn(`wrangler.toml had another id for ${wanted.database.name} (${wanted.database.id}); replacing it.`);
  }
  writeFileSync(configPath, withDatabaseId(readFileSync(configPath, "utf8"), env, database.uuid));
  console.log(`wrote database_id = "${database.uuid}" into [[env.${env}.d1_databases]] in wrangler.toml; commit it.`);
}
console.log(`Next: set the secrets (see README, "Deploy with wrangler"), then npm run deploy -- --env ${env}`);
