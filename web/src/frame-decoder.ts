/** What scanner.ts and zxing-decoder.ts share, in its own module so neither imports the other statically. */

/** Reads one QR text from the current video frame, if there is one. */
export type FrameDecoder = (video: HTMLVideoElement) => Promise<string | undefined>;
