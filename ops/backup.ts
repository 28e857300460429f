// `npm run backup -- --env <staging|production>`: exports the environment's remote D1 database (schema
// and data) to backups/<env>-<timestamp>.sql. Restore: see README, "Backup and restore".
import { mkdirSync } from "node:fs";
import path from "node:path";
import { environmentFromArgs, environmentResources } from "./environments.ts";
import { repoRoot, wranglerOrExit } from "./wrangler-cli.ts";

/** 2026-11-29T21:04:05.123Z -> 20261129-210405 (sorts by time, safe in file names). */
function backupStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
}

const env = environmentFromArgs(process.argv.slice(2), "backup");
const { database } = environmentResources(env);
mkdirSync(path.join(repoRoot, "backups"), { recursive: true });
const output = path.join("backups", `${env}-${backupStamp(new Date())}.sql`);
wranglerOrExit(["d1", "export", database.binding, "--remote", "--env", env, "--output", output], { inherit: true });
console.log(`Exported ${database.name} to ${output}`);
