import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * dynalite in a worker thread, in memory, on a free loopback port: the test's own work (the SDK, the
 * store) and the emulator's then run on two cores instead of sharing one event loop. For the soak test.
 */
export const startDynaliteThread = async (): Promise<{ endpoint: string; close(): Promise<void> }> => {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const dynalite = require(workerData.dynalitePath);
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
    parentPort.on('message', () => server.close(() => parentPort.postMessage('closed')));
    `,
    { eval: true, workerData: { dynalitePath } },
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (value: unknown) =>
      typeof value === 'number' ? resolve(value) : reject(new Error('dynalite thread did not start')),
    );
    worker.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
};
