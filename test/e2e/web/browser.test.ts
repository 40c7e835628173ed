import { describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './support/browser.js';

describe('the browser the web tests drive', () => {
  it('on a machine with no system Chromium and no CHROMIUM_PATH, is the one npm installed, and it runs the page', async () => {
    const found = await findChromium({ env: {}, systemPaths: [] });
    expect(found.source).toBe('@sparticuz/chromium');
    expect(found.args).not.toContain('--disable-web-security');
    const browser = await launchChromium({ chromium: found });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">Xin chào</p>');
      expect(await page.textContent('#x')).toBe('Xin chào');
    } finally {
      await browser.close();
    }
  });

  it('takes CHROMIUM_PATH first, and says so when it points nowhere', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } })).rejects.toThrow(
      'CHROMIUM_PATH=/nonexistent/chromium is not an executable file. Point it at a Chromium, or unset it.',
    );
    const found = await findChromium({ env: { CHROMIUM_PATH: process.execPath }, systemPaths: [] });
    expect(found).toEqual({ path: process.execPath, source: 'CHROMIUM_PATH', args: [] });
  });

  it('fails with what to do when there is no browser at all', async () => {
    const none = findChromium({
      env: {},
      systemPaths: ['/nonexistent/chromium'],
      bundled: () => Promise.reject(new Error('not installed')),
    });
    await expect(none).rejects.toThrow(
      /No Chromium for the browser tests: .*not installed.*set CHROMIUM_PATH/,
    );
  });
});
