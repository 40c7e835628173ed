import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Where a system Chromium or Chrome usually lives on Linux. */
export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
] as const;

/**
 * Flags of @sparticuz/chromium's recommended set that the tests must not have: they switch off the web
 * security the tests check (CORS, mixed content, site isolation), or exist only for Lambda's sandbox.
 * `--headless='shell'` is left to Playwright, which passes its own headless flag.
 */
const UNWANTED_BUNDLED_ARGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
  '--single-process',
  "--headless='shell'",
]);

export interface FoundChromium {
  readonly path: string;
  readonly source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  /** Extra flags that browser needs. */
  readonly args: readonly string[];
}

const executable = (path: string) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/** The Chromium that npm installed: @sparticuz/chromium extracts it from its package to the temp dir (once; reused). */
const bundledChromium = async (): Promise<FoundChromium> => {
  const { default: bundled } = await import('@sparticuz/chromium');
  const path = await bundled.executablePath();
  return {
    path,
    source: '@sparticuz/chromium',
    args: bundled.args.filter((arg) => !UNWANTED_BUNDLED_ARGS.has(arg)),
  };
};

/**
 * Finds the browser for the tests: CHROMIUM_PATH, else a system Chromium or Chrome, else the one npm
 * installed with @sparticuz/chromium (a devDependency that ships it inside its package; nothing is
 * downloaded). The lookups are parameters so a test can play a machine without a system browser.
 */
export async function findChromium(
  options: {
    env?: Readonly<Record<string, string | undefined>>;
    systemPaths?: readonly string[];
    bundled?: () => Promise<FoundChromium>;
  } = {},
): Promise<FoundChromium> {
  const env = options.env ?? process.env;
  const override = env.CHROMIUM_PATH;
  if (override) {
    if (await executable(override)) return { path: override, source: 'CHROMIUM_PATH', args: [] };
    throw new Error(
      `CHROMIUM_PATH=${override} is not an executable file. Point it at a Chromium, or unset it.`,
    );
  }
  for (const path of options.systemPaths ?? SYSTEM_CHROMIUMS) {
    if (await executable(path)) return { path, source: 'system', args: [] };
  }
  try {
    return await (options.bundled ?? bundledChromium)();
  } catch (error) {
    throw new Error(
      `No Chromium for the browser tests: CHROMIUM_PATH is unset, none of ${(options.systemPaths ?? SYSTEM_CHROMIUMS).join(', ')} exists, ` +
        `and @sparticuz/chromium could not provide one (${error instanceof Error ? error.message : String(error)}). ` +
        'Run npm ci (it installs @sparticuz/chromium), install chromium, or set CHROMIUM_PATH.',
    );
  }
}

/** A phone-sized viewport (iPhone 12–15 class). */
export const phone = { width: 390, height: 844 } as const;

/**
 * Starts headless Chromium (see findChromium). Fails (never skips) when there is none. With `fakeVideo`,
 * the camera is Chromium's fake capture device playing that Y4M file, and the permission prompt is
 * auto-accepted.
 */
export async function launchChromium(
  options: { fakeVideo?: string; chromium?: FoundChromium } = {},
): Promise<Browser> {
  const found = options.chromium ?? (await findChromium());
  const camera = options.fakeVideo
    ? [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${options.fakeVideo}`,
      ]
    : [];
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...camera,
  ];
  return chromium
    .launch({
      executablePath: found.path,
      headless: true,
      args: [...found.args.filter((arg) => !args.includes(arg)), ...args],
    })
    .catch((error: unknown) => {
      // The usual cause on a bare system: the shared libraries Chromium links (libnss3, libnspr4).
      throw new Error(
        `Chromium (${found.source}: ${found.path}) did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ` +
          'If a library is missing (libnss3), install it or set CHROMIUM_PATH to another Chromium.',
      );
    });
}

/** A fresh phone-sized context (empty localStorage), with the camera allowed for `baseUrl`. */
export async function phoneContext(
  browser: Browser,
  baseUrl: string,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: phone,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Europe/Berlin',
    // Blocked unless a test is about them: Playwright's routing does not see a service worker's fetches.
    serviceWorkers: options.serviceWorkers ?? 'block',
  });
  await context.grantPermissions(['camera'], { origin: baseUrl });
  return context;
}
