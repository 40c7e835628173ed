import { deviceProfile } from '../domain/device-profile.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf } from '../http/request.js';

/**
 * GET /v1/devices/me: the calling checkpoint device's id, name, jurisdiction and mode, from the
 * authorizer's context (no table read), so the page knows which rules it applies offline.
 */
export const handler = apiHandler(async (event) => {
  const device = callerOf(event, 'checkpoint');
  return { status: 200, body: deviceProfile(device, event.requestContext.authorizer ?? {}) };
});
