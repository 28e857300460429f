import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { repoRoot } from "./wrangler-cli.ts";

export const configPath = path.join(repoRoot, "wrangler.toml");
/** The deployable environments of wrangler.toml; the top level is local development only. */
export const deployEnvironments = ["staging", "production"] as const;
export type DeployEnvironment = (typeof deployEnvironments)[number];

/** What `cf:setup` creates for one environment, read from wrangler.toml. */
export interface EnvironmentResources {
  workerName: string;
  database: { binding: string; name: string; id: string | undefined };
  buckets: string[];
  /** Queues the Worker produces to or consumes, and their dead-letter queues. */
  queues: string[];
}

/** The parts of wrangler's resolved configuration the operator scripts and their tests read. */
export interface WranglerConfig {
  name?: string;
  vars: Record<string, unknown>;
  d1_databases: { binding: string; database_name?: string; database_id?: string }[];
  r2_buckets: { binding: string; bucket_name?: string }[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  queues: {
    producers?: { binding: string; queue: string }[];
    consumers?: {
      queue: string;
      max_batch_size?: number;
      max_batch_timeout?: number;
      max_retries?: number;
      dead_letter_queue?: string;
    }[];
  };
  containers?: { class_name: string; image: string }[];
  observability?: { enabled?: boolean };
  triggers: { crons?: string[] };
}

/** wrangler.toml as wrangler resolves it for one environment (`undefined`: the top level). */
export function readEnvironment(env: DeployEnvironment | undefined): WranglerConfig {
  return unstable_readConfig({ config: configPath, env }, { hideWarnings: true }) as unknown as WranglerConfig;
}

export function environmentResources(env: DeployEnvironment): EnvironmentResources {
  const config = readEnvironment(env);
  const [db] = config.d1_databases;
  if (!db?.database_name) throw new Error(`wrangler.toml: [env.${env}] has no D1 database`);
  const queues = new Set<string>();
  for (const producer of config.queues.producers ?? []) queues.add(producer.queue);
  for (const consumer of config.queues.consumers ?? []) {
    queues.add(consumer.queue);
    if (consumer.dead_letter_queue) queues.add(consumer.dead_letter_queue);
  }
  return {
    workerName: config.name ?? "",
    database: { binding: db.binding, name: db.database_name, id: db.database_id },
    buckets: config.r2_buckets.map((bucket) => bucket.bucket_name).filter((name): name is string => !!name),
    queues: [...queues],
  };
}

/** `--env <name>` or `--env=<name>` from the command line; exits with usage when absent or unknown. */
export function environmentFromArgs(argv: string[], command: string): DeployEnvironment {
  const index = argv.findIndex((arg) => arg === "--env" || arg.startsWith("--env="));
  const flag = index < 0 ? undefined : argv[index];
  const value = flag?.includes("=") ? flag.split("=")[1] : flag && argv[index + 1];
  if (!deployEnvironments.includes(value as DeployEnvironment)) {
    console.error(`usage: npm run ${command} -- --env <${deployEnvironments.join("|")}>`);
    process.exit(2);
  }
  return value as DeployEnvironment;
}
