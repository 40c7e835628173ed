/**
 * Camera and QR decoding. The browser's own BarcodeDetector is used when it reads QR codes; otherwise
 * the ZXing WebAssembly reader is loaded (lazily: its chunk and .wasm are fetched only then, from this
 * site, never from a CDN).
 */

import type { FrameDecoder } from './frame-decoder.js';

export type { FrameDecoder } from './frame-decoder.js';
export type CameraStatus = 'ok' | 'denied' | 'unavailable' | 'insecure';

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<readonly DetectedBarcode[]>;
}
interface BarcodeDetectorConstructor {
  new (options: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
}

/** BarcodeDetector is not in TypeScript's DOM library yet; this is its shape from the Shape Detection API. */
function nativeBarcodeDetector(): BarcodeDetectorConstructor | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'BarcodeDetector');
  return typeof candidate === 'function' ? (candidate as BarcodeDetectorConstructor) : undefined;
}

async function createNativeDecoder(): Promise<FrameDecoder | undefined> {
  const Detector = nativeBarcodeDetector();
  if (!Detector) return undefined;
  try {
    const formats = await Detector.getSupportedFormats();
    if (!formats.includes('qr_code')) return undefined;
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue;
  } catch {
    return undefined;
  }
}

let decoder: Promise<FrameDecoder> | undefined;

/** The decoder for this browser, made once. Rejects when the fallback cannot be loaded. */
export function frameDecoder(): Promise<FrameDecoder> {
  decoder ??= createNativeDecoder().then(
    async (native) => native ?? (await import('./zxing-decoder.js')).createZxingDecoder(),
  );
  decoder.catch(() => {
    decoder = undefined;
  });
  return decoder;
}

/** The one camera stream of the page; kept while the scan screen comes and goes, stopped when hidden. */
export class Camera {
  private stream: MediaStream | undefined;
  readonly video: HTMLVideoElement;

  constructor() {
    this.video = document.createElement('video');
    this.video.className = 'camera-video';
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.setAttribute('playsinline', '');
    this.video.setAttribute('aria-hidden', 'true');
  }

  async start(): Promise<CameraStatus> {
    if (!this.stream) {
      if (!window.isSecureContext) return 'insecure';
      if (!navigator.mediaDevices?.getUserMedia) return 'unavailable';
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
        });
      } catch (error) {
        return error instanceof DOMException &&
          (error.name === 'NotAllowedError' || error.name === 'SecurityError')
          ? 'denied'
          : 'unavailable';
      }
      this.video.srcObject = this.stream;
    }
    try {
      await this.video.play();
    } catch {
      // play() is refused when the element was detached meanwhile; the next start() plays it.
    }
    return 'ok';
  }

  stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.video.srcObject = null;
  }
}

const pauseBetweenFramesMs = 120;

/**
 * Decodes frames until a QR is read, then calls `onText` once and stops. Answers a function that stops
 * the loop early.
 */
export function scanUntilRead(
  video: HTMLVideoElement,
  decode: FrameDecoder,
  onText: (text: string) => void,
): () => void {
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      let text: string | undefined;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        try {
          text = await decode(video);
        } catch {
          text = undefined;
        }
      }
      if (!running) return;
      if (text) {
        running = false;
        onText(text);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseBetweenFramesMs));
    }
  };
  void loop();
  return () => {
    running = false;
  };
}

/** What the camera screen reports: the camera's own status, or no QR reader for this browser. */
export type ScannerStatus = CameraStatus | 'noDecoder';

/**
 * The camera and its decode loop as the controller drives them: start reading (answers the status, or
 * undefined when stopped meanwhile, so a late answer never starts a loop for a screen that is gone),
 * stop reading, and let go of the camera.
 */
export class CameraScanner {
  private readonly camera = new Camera();
  private stopLoop: (() => void) | undefined;
  private generation = 0;

  get video(): HTMLVideoElement {
    return this.camera.video;
  }

  async start(onText: (text: string) => void): Promise<ScannerStatus | undefined> {
    this.stop();
    const generation = this.generation;
    const status = await this.camera.start();
    let decode: FrameDecoder | undefined;
    if (status === 'ok') decode = await frameDecoder().catch(() => undefined);
    if (generation !== this.generation) return undefined;
    if (decode) this.stopLoop = scanUntilRead(this.camera.video, decode, onText);
    return status !== 'ok' ? status : decode ? 'ok' : 'noDecoder';
  }

  stop(): void {
    this.generation += 1;
    this.stopLoop?.();
    this.stopLoop = undefined;
  }

  release(): void {
    this.stop();
    this.camera.stop();
  }
}
