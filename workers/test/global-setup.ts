import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    transcoderUrl: string;
  }
}

/** Runs in Node before the Workers tests: provides what the Worker reaches outside workerd. */
export default function setup(project: TestProject) {
  project.provide("transcoderUrl", "");
}
