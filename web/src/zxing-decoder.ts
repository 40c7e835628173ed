/** The WebAssembly QR reader for browsers without BarcodeDetector; loaded only on those browsers. */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { FrameDecoder } from './frame-decoder.js';

/** Set by web/build.ts: the content-hashed name of the .wasm file next to this chunk. */
declare const ZXING_WASM_FILE: string;

const maxSide = 800;

export async function createZxingDecoder(): Promise<FrameDecoder> {
  const wasmUrl = new URL(ZXING_WASM_FILE, import.meta.url).href;
  await prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
    },
    fireImmediately: true,
  });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas');
  return async (video) => {
    const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const results = await readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), {
      formats: ['QRCode'],
      tryHarder: true,
      maxNumberOfSymbols: 1,
    });
    const first = results.find((result) => result.isValid && result.text.length > 0);
    return first?.text;
  };
}
