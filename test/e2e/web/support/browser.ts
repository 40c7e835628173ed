import { access } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A phone-sized viewport (iPhone 12–15 class). */
export const phone = { width: 390, height: 844 } as const;

/**
 * Starts headless Debian Chromium. Fails (never skips) when it is missing. With `fakeVideo`, the camera
 * is Chromium's fake capture device playing that Y4M file, and the permission prompt is auto-accepted.
 */
export async function launchChromium(options: { fakeVideo?: string } = {}): Promise<Browser> {
  await access(chromiumPath).catch(() => {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The browser tests need it: apt-get update && apt-get install -y chromium chromium-driver (or set CHROMIUM_PATH).`,
    );
  });
  const camera = options.fakeVideo
    ? [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${options.fakeVideo}`,
      ]
    : [];
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...camera,
    ],
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
