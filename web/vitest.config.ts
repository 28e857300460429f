import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [react()],
  test: {
    name: "web",
    root: path.resolve(import.meta.dirname, ".."),
    include: ["web/src/**/*.test.{ts,tsx}"],
    environment: "happy-dom",
  },
});
