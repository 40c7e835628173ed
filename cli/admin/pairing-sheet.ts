/**
 * The printable pairing sheet of `device add --count N --sheet F.html`: one pairing QR per device with
 * its name, on A4, Vietnamese first. Each QR holds `RGDEV:<credential>` (contract/pairing.ts), exactly
 * what the checkpoint page's "scan pairing QR" reads; so the sheet is a stack of credentials.
 */
import QRCode from 'qrcode';
import { pairingText } from '../../contract/pairing.js';

export interface SheetDevice {
  readonly id: string;
  readonly name: string;
  readonly credential: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * PNG data URLs rather than inline SVG: every browser prints them the same, and a test can decode them
 * as image files. 8 px modules with a 4-module quiet zone stay sharp at the printed 45 mm.
 */
const qrImage = (text: string): Promise<string> =>
  QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale: 8 });

export const pairingSheetHtml = async (
  devices: readonly SheetDevice[],
  meta: { readonly stack: string; readonly createdAt: string },
): Promise<string> => {
  const cards = await Promise.all(
    devices.map(
      async (d) => `  <figure class="card">
    <img src="${await qrImage(pairingText(d.credential))}" alt="Mã ghép nối / pairing QR: ${escapeHtml(d.name)}">
    <figcaption><strong>${escapeHtml(d.name)}</strong><br><small>${escapeHtml(d.id)}</small></figcaption>
  </figure>`,
    ),
  );
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Mã ghép nối thiết bị chốt kiểm soát / Checkpoint device pairing codes</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; color: #000; }
  header { border: 2px solid #b00020; padding: 3mm 4mm; margin-bottom: 4mm; }
  header h1 { font-size: 14pt; margin: 0 0 2mm; }
  header p { margin: 1mm 0; font-size: 10pt; }
  .warning { color: #b00020; font-weight: bold; }
  .grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
  .card { break-inside: avoid; page-break-inside: avoid; border: 1px dashed #555; margin: 0;
          padding: 3mm; text-align: center; }
  .card img { width: 45mm; height: 45mm; image-rendering: pixelated; }
  .card figcaption { font-size: 11pt; overflow-wrap: anywhere; }
  .card small { font-family: ui-monospace, monospace; font-size: 8pt; color: #333; }
  @media print { header { break-after: avoid; } }
</style>
</head>
<body>
<header>
  <h1>Mã ghép nối thiết bị chốt kiểm soát<br><span lang="en">Checkpoint device pairing codes</span></h1>
  <p class="warning">CẢNH BÁO: mỗi mã QR là một mã truy cập. Ai quét được mã có thể tra cứu như thiết bị đó. Giữ tờ này như chìa khoá, chỉ trao cho cán bộ được giao, huỷ (xé, đốt) sau khi ghép nối; mất tờ này thì báo ngay để thu hồi (\`device revoke\`).</p>
  <p class="warning" lang="en">WARNING: each QR code is a credential. Whoever scans it can check travellers as that device. Keep this sheet like a key, give each code only to the officer assigned, destroy it (shred, burn) after pairing; if it is lost, report it at once so the devices are revoked (\`device revoke\`).</p>
  <p>Cách ghép nối: mở trang chốt kiểm soát, chọn “Quét mã QR ghép nối”, quét mã của máy mình. / To pair: open the checkpoint page, choose “Scan pairing QR”, scan this phone’s code.</p>
  <p><small>${devices.length} thiết bị / devices · ${escapeHtml(meta.stack)} · ${escapeHtml(meta.createdAt)}</small></p>
</header>
<main class="grid">
${cards.join('\n')}
</main>
</body>
</html>
`;
};
