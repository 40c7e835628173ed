import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Clock } from '../../contract/clock.js';
import { routes } from '../../contract/routes.js';
import { authenticate } from '../../functions/domain/authenticate.js';
import { makeRegistryCommands } from '../../functions/domain/registry.js';
import { ForbiddenError, UnauthenticatedError } from '../../functions/errors.js';
import { policyFor } from '../../functions/http/policy.js';
import type { RoleLimits } from '../../lib/credential-limits.js';
import { type ApiFunction, createGateway } from '../../local/gateway.js';
import { inMemoryRegistry } from './fakes.js';

/** A clock the test moves by hand. */
export const manualClock = (start = Date.parse('2021-09-10T08:00:00Z')) => {
  let now = start;
  const clock: Clock = { now: () => new Date(now) };
  const advance = (ms: number): void => {
    now += ms;
  };
  return { clock, advance };
};

/**
 * The local gateway in-process on a free port, with every route answered by a fake handler (200 with
 * the route's function name) and the authorizer's logic (authenticate + policyFor) over an in-memory
 * registry. `authorizerCalls` counts authorizer invocations.
 */
export const startFakeGateway = async (
  options: {
    rateLimits?: 'on' | 'off';
    clock?: Clock;
    controlToken?: string;
    staticDir?: string;
    /** Per-credential limits other than the local stage's. */
    credentialLimits?: RoleLimits;
    /** Awaited by the authorizer between its registry read and its answer (to hold a call in flight). */
    afterRegistryRead?: () => Promise<void>;
    /** The gateway's log lines (one per request). */
    log?: (line: string) => void;
  } = {},
) => {
  const { afterRegistryRead, ...gatewayOptions } = options;
  const registry = inMemoryRegistry();
  const commands = makeRegistryCommands(registry);
  let authorizerCalls = 0;
  const authorizer = async (event: APIGatewayRequestAuthorizerEvent) => {
    authorizerCalls += 1;
    try {
      const principal = await authenticate(event.headers?.authorization, registry);
      await afterRegistryRead?.();
      return policyFor(principal.id, principal.role, event.methodArn, { role: principal.role });
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw new Error('Unauthorized');
      if (error instanceof ForbiddenError) return policyFor('suspended', undefined, event.methodArn, {});
      throw error;
    }
  };
  const fake =
    (fn: string): ApiFunction =>
    async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fn }),
    });
  const server = createGateway({
    routes,
    handlerOf: async (route) => fake(route.fn),
    authorizer: async () => authorizer,
    ...gatewayOptions,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    registry,
    commands,
    authorizerCalls: () => authorizerCalls,
    call: async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};

/** Sends `request` as-is over a TCP socket and returns whatever comes back until the server closes. */
export const rawRequest = (port: number, request: string | Buffer, timeoutMs = 5_000): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.end(request);
  });

/** The status code of the first response in a raw HTTP answer, or undefined if there is none. */
export const statusOf = (raw: string): number | undefined => {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(raw);
  return match?.[1] === undefined ? undefined : Number(match[1]);
};
