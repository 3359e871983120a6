import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console is served by Steward at /console/ from the package's dist/console. JSX is compiled
 * by Vite's own transformer (Oxc in Vite 8, esbuild before) with Preact's automatic runtime: no
 * Babel, no framework plugin.
 */
// biome-ignore lint/style/noDefaultExport: Vite reads the default export of its config
export default defineConfig({
  root: here("."),
  base: "/console/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: {
    // The SDK is compiled with the console from its TypeScript source: no SDK build needed first.
    conditions: ["source"],
  },
  build: {
    outDir: here("../../dist/console"),
    emptyOutDir: true,
    target: "es2022",
    // The polyfill would be an inline script, which the console's CSP refuses; every supported
    // browser has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 200,
  },
});
