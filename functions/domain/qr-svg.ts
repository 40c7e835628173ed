import { toString as renderQr } from 'qrcode';

/**
 * The pass as an SVG QR code. Error correction M (15 %) keeps a ~600-character pass at a size that
 * phone screens and checkpoint scanners read reliably, and survives a cracked screen or glare.
 */
export const renderQrSvg = (text: string): Promise<string> =>
  renderQr(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
