/**
 * The pairing QR a checkpoint page scans: `RGDEV:<device credential>`. One home, so the printed
 * pairing sheet (cli/admin/pairing-sheet.ts) and the page's scanner (web/src/checkpoint-controller.ts)
 * cannot drift. The text is a credential: whoever scans it can check travellers as that device.
 */
export const pairingPrefix = 'RGDEV:';

export const pairingText = (credential: string): string => `${pairingPrefix}${credential}`;
