import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: path.join(import.meta.dirname, "dist"), emptyOutDir: true },
  server: { port: 5173, proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
});
