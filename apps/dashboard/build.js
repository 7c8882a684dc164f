#!/usr/bin/env node
/**
 * Builds the dashboard into dist/dashboard/ (or the directory given as the first argument): the TypeScript entry and
 * chart.js bundled by esbuild into one script, the stylesheet, both with a content hash in their names (so the api
 * can let browsers cache them for good), and index.html pointing at them. No CDN, no inline script or style: the
 * page works under the api's Content-Security-Policy. `npm run build` runs it; the dashboard's e2e test too.
 */
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');
const esbuild = require('esbuild');

const SRC = __dirname;

function buildDashboard(outDir = resolve(SRC, '../../dist/dashboard')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = esbuild.buildSync({
    entryPoints: { app: join(SRC, 'src/main.ts'), style: join(SRC, 'dashboard.css') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    tsconfig: join(SRC, 'tsconfig.json'),
    entryNames: '[name]-[hash]',
    outdir: outDir,
    metafile: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const script = outputs.find((f) => /^app-[A-Z0-9]+\.js$/.test(f));
  const style = outputs.find((f) => /^style-[A-Z0-9]+\.css$/.test(f));
  if (!script || !style) throw new Error(`dashboard build: unexpected outputs ${outputs.join(', ')}`);
  const html = readFileSync(join(SRC, 'index.html'), 'utf8').replace('{{script}}', `/dashboard/${script}`).replace('{{style}}', `/dashboard/${style}`);
  writeFileSync(join(outDir, 'index.html'), html);
  return { outDir, script, style };
}

module.exports = { buildDashboard };

if (require.main === module) {
  const built = buildDashboard(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`dashboard: ${built.outDir} (${built.script}, ${built.style})`);
}
