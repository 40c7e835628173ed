import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

const width = 640;
const height = 480;

/**
 * Writes a Y4M video (the format Chromium's fake camera reads with --use-file-for-fake-video-capture)
 * whose frames show `text` as a QR code, black on white, centred, with its quiet zone.
 */
export async function writeQrVideo(text: string, path: string): Promise<void> {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const moduleSize = Math.floor((Math.min(width, height) * 0.9) / (modules + 8));
  const side = modules * moduleSize;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < modules; row += 1) {
    for (let column = 0; column < modules; column += 1) {
      if (!qr.modules.get(row, column)) continue;
      for (let y = 0; y < moduleSize; y += 1) {
        const offset = (top + row * moduleSize + y) * width + left + column * moduleSize;
        luma.fill(16, offset, offset + moduleSize);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, frame, frame]));
}
