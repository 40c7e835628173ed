/**
 * What a checkpoint device is registered for: its jurisdiction (ISO 3166-2, `VN-13`) and default mode
 * (`ENTRY`), which the authorizer puts in the request context (keys `jurisdiction` and `mode`) from the
 * principal it reads. A device registered before devices had them counts as `VN` / `ENTRY`, the
 * default rule set's, so nothing changes for an existing install.
 */
export const DEFAULT_JURISDICTION = 'VN';
export const DEFAULT_MODE = 'ENTRY';

const JURISDICTION = /^VN(-[0-9A-Z]{2,3})?$/;
const MODE = /^[A-Z][A-Z_]{1,29}$/;

export interface DeviceProfile {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: string;
  readonly mode: string;
}

/** The device's profile; a missing or malformed jurisdiction or mode falls back to the default. */
export const deviceProfile = (
  device: { readonly principalId: string; readonly name: string },
  context: Readonly<Record<string, unknown>>,
): DeviceProfile => {
  const { jurisdiction, mode } = context;
  return {
    id: device.principalId,
    name: device.name,
    jurisdiction:
      typeof jurisdiction === 'string' && JURISDICTION.test(jurisdiction)
        ? jurisdiction
        : DEFAULT_JURISDICTION,
    mode: typeof mode === 'string' && MODE.test(mode) ? mode : DEFAULT_MODE,
  };
};
