import { describe, expect, it } from "vitest";
import {
  deployEnvironments,
  type EnvironmentResources,
  environmentResources,
  readEnvironment,
  type WranglerConfig,
} from "../environments.ts";

// Bindings and vars are not inherited by a wrangler environment: each one repeats them. These tests
// keep staging and production in step with the top level (what local development and tests run).
const local = readEnvironment(undefined);
const PER_ENVIRONMENT_VARS = ["ENVIRONMENT", "PUBLIC_BASE_URL"];

function bindingNames(config: WranglerConfig) {
  return {
    d1: config.d1_databases.map((db) => db.binding).sort(),
    r2: config.r2_buckets.map((bucket) => bucket.binding).sort(),
    durableObjects: config.durable_objects.bindings.map((b) => `${b.name}:${b.class_name}`).sort(),
    producers: (config.queues.producers ?? []).map((p) => p.binding).sort(),
    containers: (config.containers ?? []).map((c) => `${c.class_name}:${c.image}`).sort(),
    vars: Object.keys(config.vars)
      .filter((name) => !PER_ENVIRONMENT_VARS.includes(name))
      .sort(),
  };
}

/** Consumer settings without the queue names (which differ per environment). */
function consumerSettings(config: WranglerConfig) {
  return (config.queues.consumers ?? []).map((consumer) => ({
    max_batch_size: consumer.max_batch_size,
    max_batch_timeout: consumer.max_batch_timeout,
    max_retries: consumer.max_retries,
    hasDeadLetterQueue: !!consumer.dead_letter_queue,
  }));
}

describe.each(deployEnvironments)("environment %s", (env) => {
  const config = readEnvironment(env);

  it("declares every binding and var of the top level", () => {
    const expected = bindingNames(local);
    expected.vars = expected.vars.filter((name) => !PER_ENVIRONMENT_VARS.includes(name));
    expect(bindingNames(config)).toEqual(expected);
    expect(consumerSettings(config)).toEqual(consumerSettings(local));
  });

  it("names itself, deploys its own Worker, and leaves the transcoder to the container binding", () => {
    expect(config.vars.ENVIRONMENT).toBe(env);
    expect(config.name).toBe(`veza-edge-${env}`);
    expect(config.vars.TRANSCODER_URL).toBe("");
    expect(String(config.vars.PUBLIC_BASE_URL)).toMatch(/^https:\/\//);
    expect(config.observability?.enabled).toBe(true);
    expect(config.triggers.crons).toEqual(local.triggers.crons);
  });

  it("uses the logical queue names with its own suffix, so the consumer dispatch finds them", () => {
    for (const queue of environmentResources(env).queues) expect(queue).toMatch(new RegExp(`^[a-z-]+-${env}$`));
  });
});

it("staging and production share no resource", () => {
  const [a, b] = deployEnvironments.map(environmentResources) as [EnvironmentResources, EnvironmentResources];
  const names = (r: EnvironmentResources) => [r.workerName, r.database.name, ...r.buckets, ...r.queues];
  expect(names(a).filter((name) => names(b).includes(name))).toEqual([]);
  const localQueues = (local.queues.producers ?? []).map((p) => p.queue);
  expect(
    names(a)
      .concat(names(b))
      .filter((name) => localQueues.includes(name)),
  ).toEqual([]);
});
