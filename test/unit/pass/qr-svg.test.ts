import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { encodePass } from '../../../functions/domain/pass-codec.js';
import { renderQrSvg } from '../../../functions/domain/qr-svg.js';
import { claimsAt, newLocalSigner } from './fixtures.js';

describe('renderQrSvg', () => {
  it('draws a pass as an SVG QR code with error correction M and a quiet zone', async () => {
    const qr = await encodePass(claimsAt(), newLocalSigner());
    const modules = create(qr, { errorCorrectionLevel: 'M' }).modules.size;

    const svg = await renderQrSvg(qr);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${modules + 8} ${modules + 8}"`);
  });

  it('fits a pass with a snapshot in a QR version a phone camera reads (at most 25)', async () => {
    const qr = await encodePass(claimsAt(), newLocalSigner());

    const { version } = create(qr, { errorCorrectionLevel: 'M' });

    expect(version).toBeLessThanOrEqual(25);
  });
});
