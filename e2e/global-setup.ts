import type { TestProject } from "vitest/node";
import { startStack } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The stack's wrangler state (`--persist-to`), for a test that must change the database as an operator would. */
    stateDir: string;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide("baseUrl", stack.baseUrl);
  project.provide("stateDir", stack.stateDir);
  return stack.stop;
}
