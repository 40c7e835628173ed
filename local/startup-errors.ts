import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A start-up problem the operator can fix: `npm start` prints its message as one line, without a stack
 * trace, and exits 1. Each message names the setting (PORT, HOST, RESULTGATE_DATA_DIR) to change, in
 * Vietnamese first, then English.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The errno code of a Node system error (EADDRINUSE, ENOTDIR…), if it has one. */
export const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  return typeof code === 'string' ? code : undefined;
};

/** Why the gateway cannot listen on host:port, in the operator's words; other errors pass through. */
export const listenError = (error: unknown, host: string, port: number): unknown => {
  const next = port === 65_535 ? 3001 : port + 1;
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new StartupError(
        `Cổng ${port} đang được dùng (PORT). Hãy dừng chương trình đang dùng nó hoặc khởi động bằng PORT=${next} npm start. / ` +
          `Port ${port} is in use (PORT). Stop what uses it or start with PORT=${next} npm start.`,
      );
    case 'EACCES':
      return new StartupError(
        `Cổng ${port} cần quyền quản trị (PORT). Hãy dùng cổng trên 1023, ví dụ PORT=3000 npm start. / ` +
          `Port ${port} needs administrator rights (PORT). Start with a port above 1023, e.g. PORT=3000 npm start.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `${host} không phải địa chỉ của máy này (HOST). Hãy dùng HOST=127.0.0.1, hoặc HOST=0.0.0.0 để nghe trên mọi mạng. / ` +
          `${host} is not an address of this machine (HOST). Use HOST=127.0.0.1, or HOST=0.0.0.0 to listen on every network.`,
      );
    default:
      return error;
  }
};

/**
 * Fails with the PORT/HOST message before anything else starts, so a busy port costs no database
 * start-up. Port 0 (any free port) needs no check. The real listen is checked the same way, since
 * another program may take the port in between.
 */
export const assertPortFree = async (host: string, port: number): Promise<void> => {
  if (port === 0) return;
  const probe = createServer();
  try {
    probe.listen({ port, host, exclusive: true });
    await once(probe, 'listening');
  } catch (error) {
    throw listenError(error, host, port);
  } finally {
    await new Promise<void>((done) => probe.close(() => done()));
  }
};
