/**
 * Builds the checkpoint page into web/dist (and, beside it, the public facilities page facilities.html): minified ESM with content-hashed names under assets/, the
 * ZXing .wasm copied next to its (lazily loaded) chunk, a service worker, and index.html pointing at them.
 * Prints the transfer size of what a phone downloads to open the page.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const srcDir = join(webDir, 'src');
const distDir = join(webDir, 'dist');
const assetsDir = join(distDir, 'assets');
const target = ['chrome80', 'safari14', 'firefox80'];

const hash = (content: Buffer | string): string =>
  createHash('sha256').update(content).digest('hex').slice(0, 10);

await rm(distDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });

// The ZXing reader's .wasm, served from this site (a checkpoint may have no network to reach a CDN).
const wasmSource = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
const wasm = await readFile(wasmSource);
const wasmName = `zxing_reader-${hash(wasm)}.wasm`;
await copyFile(wasmSource, join(assetsDir, wasmName));

/** What both pages' bundles share: minified ES modules for the browsers in `target`, with linked maps. */
const browserBundle = {
  outdir: assetsDir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
} as const;

const app = await build({
  ...browserBundle,
  entryPoints: [join(srcDir, 'main.ts'), join(srcDir, 'styles.css')],
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  define: { ZXING_WASM_FILE: JSON.stringify(wasmName) },
});

const outputs = app.metafile.outputs;
const fromDist = (path: string): string => relative(distDir, path).split('\\').join('/');
const outputFor = (entry: string): [string, Metafile['outputs'][string]] => {
  const found = Object.entries(outputs).find(([, output]) => output.entryPoint?.endsWith(entry));
  if (!found) throw new Error(`esbuild produced no output for ${entry}`);
  return [fromDist(found[0]), found[1]];
};
const [mainJs, mainOutput] = outputFor('src/main.ts');
const [stylesCss] = outputFor('src/styles.css');
/** Chunks main.ts loads at once (static imports); dynamic ones (the ZXing reader) wait until needed. */
const eagerChunks = mainOutput.imports
  .filter((item) => item.kind === 'import-statement')
  .map((item) => fromDist(item.path));
const lazyFiles = Object.keys(outputs)
  .map(fromDist)
  .filter((file) => file.endsWith('.js') && file !== mainJs && !eagerChunks.includes(file));

const template = await readFile(join(srcDir, 'index.html'), 'utf8');
const tags = [
  `<link rel="stylesheet" href="${stylesCss}">`,
  ...eagerChunks.map((chunk) => `<link rel="modulepreload" href="${chunk}">`),
  `<script type="module" src="${mainJs}"></script>`,
].join('\n    ');
const indexHtml = template.replace('<!-- assets -->', tags);
await writeFile(join(distDir, 'index.html'), indexHtml);
await copyFile(join(srcDir, 'manifest.webmanifest'), join(distDir, 'manifest.webmanifest'));
await copyFile(join(srcDir, 'icon.svg'), join(distDir, 'icon.svg'));

// The public facilities page (facilities.html): its own bundle, none of the checkpoint page's code.
const publicBuild = await build({
  ...browserBundle,
  entryPoints: [join(srcDir, 'public/main.ts'), join(srcDir, 'public/styles.css')],
  entryNames: 'facilities-[name]-[hash]',
});
const publicOutput = (entry: string): string => {
  const found = Object.entries(publicBuild.metafile.outputs).find(([, output]) =>
    output.entryPoint?.endsWith(entry),
  );
  if (!found) throw new Error(`esbuild produced no output for ${entry}`);
  return fromDist(found[0]);
};
const publicJs = publicOutput('src/public/main.ts');
const publicCss = publicOutput('src/public/styles.css');
const publicHtml = (await readFile(join(srcDir, 'public/facilities.html'), 'utf8')).replace(
  '<!-- assets -->',
  [`<link rel="stylesheet" href="${publicCss}">`, `<script type="module" src="${publicJs}"></script>`].join(
    '\n    ',
  ),
);
await writeFile(join(distDir, 'facilities.html'), publicHtml);

// What a phone needs to open the page without network; the reader chunk and .wasm are cached on first use.
const shell = ['index.html', stylesCss, mainJs, ...eagerChunks, 'manifest.webmanifest', 'icon.svg'];
await build({
  entryPoints: [join(srcDir, 'sw.ts')],
  outfile: join(distDir, 'sw.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target,
  minify: true,
  define: {
    PRECACHE: JSON.stringify(['./', ...shell.filter((file) => file !== 'index.html')]),
    CACHE_VERSION: JSON.stringify(hash(indexHtml)),
  },
  logLevel: 'warning',
});

const sizes = await Promise.all(
  [...shell, 'sw.js'].map(async (file) => {
    const content = await readFile(join(distDir, file));
    return {
      file,
      raw: content.length,
      gzip: gzipSync(content, { level: 9 }).length,
      brotli: brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  }),
);
const total = (key: 'raw' | 'gzip' | 'brotli'): number => sizes.reduce((sum, size) => sum + size[key], 0);
const publicGzip = (
  await Promise.all(
    ['facilities.html', publicCss, publicJs].map(
      async (file) => gzipSync(await readFile(join(distDir, file)), { level: 9 }).length,
    ),
  )
).reduce((sum, size) => sum + size, 0);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const lazy = await Promise.all(
  [...lazyFiles, `assets/${wasmName}`].map(async (file) => {
    const content = await readFile(join(distDir, file));
    return `${basename(file)} ${kb(content.length)} (gzip ${kb(gzipSync(content, { level: 9 }).length)})`;
  }),
);
console.log(
  [
    `web: built ${fromDist(join(distDir, 'index.html'))} into ${relative(process.cwd(), distDir) || distDir}`,
    ...sizes.map(
      (size) =>
        `  ${size.file.padEnd(34)} ${kb(size.raw).padStart(10)}  gzip ${kb(size.gzip).padStart(9)}  br ${kb(size.brotli).padStart(9)}`,
    ),
    `  page total (without the QR fallback)  ${kb(total('raw'))}  gzip ${kb(total('gzip'))}  br ${kb(total('brotli'))}`,
    `  loaded only without BarcodeDetector: ${lazy.join(', ')}`,
    `  public facilities page (facilities.html, ${publicCss}, ${publicJs}): gzip ${kb(publicGzip)}`,
  ].join('\n'),
);
