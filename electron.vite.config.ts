import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { inlineStyleHashes } from './src-main/electron/inlineStyleHashes.ts';

/**
 * Puts the app's stylesheet into index.html as a <style> element, so the app shell in it paints as
 * soon as the HTML has arrived: linked, the stylesheet came in alongside the scripts and their
 * evaluation ran before the first frame. The meta CSP admits the style by its hash (the Electron
 * window and the bridge compute the same hash from the built file: inlineStyleHashes). The file
 * itself is dropped: no chunk loads it (one stylesheet: build.cssCodeSplit is off), which the
 * build checks.
 */
function inlineStylesheet(): Plugin {
  return {
    name: 'service-creator:inline-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        const inlined = html.replace(/<link rel="stylesheet" crossorigin href="\.\/([^"]+\.css)">/g, (_link, fileName: string) => {
          const asset = bundle[fileName];
          if (asset?.type !== 'asset') throw new Error(`inline-stylesheet: ${fileName} is not in the bundle`);
          const baseName = fileName.slice(fileName.lastIndexOf('/') + 1);
          const loader = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.code.includes(baseName));
          if (loader) throw new Error(`inline-stylesheet: ${loader.fileName} loads ${fileName}, which would then apply twice`);
          const css = String(asset.source);
          if (/<\/style/i.test(css)) throw new Error(`inline-stylesheet: ${fileName} contains "</style"`);
          delete bundle[fileName];
          return `<style>${css}</style>`;
        });
        const hashes = inlineStyleHashes(inlined);
        if (hashes.length === 0) throw new Error('inline-stylesheet: index.html links no stylesheet to inline');
        const csp = /(http-equiv="Content-Security-Policy"\s+content="[^"]*style-src 'self')/;
        if (!csp.test(inlined)) throw new Error("inline-stylesheet: index.html's CSP has no style-src 'self' to add the hash to");
        return inlined.replace(csp, `$1 ${hashes.join(' ')}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The TypeScript checker's thread is an entry of its own (out/main/typeScriptWorker.js), which
      // TypeScriptChecker finds one folder up from its chunk.
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/electron/main.ts'),
          typeScriptWorker: resolve(import.meta.dirname, 'src-main/pipeline/typecheck/typeScriptWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be CommonJS and cannot require npm packages at run time: bundle zod in.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react(), inlineStylesheet()],
    build: {
      // One stylesheet for the whole app, inlined into index.html (inlineStylesheet): lazy chunks
      // carry no CSS of their own, so none links a stylesheet later that would reorder the cascade.
      cssCodeSplit: false,
      // electron-vite leaves the renderer unminified by default; minified it loads ~70 ms sooner.
      minify: true,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') } },
    },
  },
});
