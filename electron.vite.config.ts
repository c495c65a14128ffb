// Build configuration (electron-vite): main process + CLI (Node), preload (sandboxed, CommonJS), renderer (React).
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { buildMetaContentSecurityPolicy } from './electron/main/security'

const root = import.meta.dirname

/** Also put the CSP in the built page itself (main sends it as a header on every response too). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'custodia-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: buildMetaContentSecurityPolicy() },
        injectTo: 'head-prepend',
      },
    ],
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // The CLI shares the core with the app; building it here keeps one toolchain.
          cli: resolve(root, 'electron/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // A sandboxed preload cannot load ES modules: emit CommonJS with an explicit .cjs name.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
      // No eval-based source maps or inline scripts: the CSP forbids them.
      sourcemap: false,
    },
  },
})
