import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    tailwindcss(),
    VitePWA({
      registerType: "autoUpdate",
      // Our own service worker (web/src/sw/sw.ts: precaching, offline audio, Web Push), with the
      // precache manifest injected at build time.
      strategies: "injectManifest",
      srcDir: "src/sw",
      filename: "sw.ts",
      includeAssets: ["icon.svg", "favicon.ico", "apple-touch-icon.png", "offline-audio-sw.js"],
      manifest: {
        name: "Veza",
        short_name: "Veza",
        description: "Stream music, follow artists, listen together.",
        theme_color: "#0369a1",
        background_color: "#09090b",
        display: "standalone",
        start_url: "/",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
        ],
      },
      injectManifest: {
        // What generateSW precached before: the built JS, CSS, HTML and the included assets.
        globPatterns: ["**/*.{js,css,html}"],
      },
    }),
  ],
  build: { outDir: path.join(import.meta.dirname, "dist"), emptyOutDir: true },
  server: { port: 5173, proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
});
