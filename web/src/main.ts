/** Entry point of the checkpoint page (see web/README.md). */
import { createApiClient, loadApiBaseUrl } from './api.js';
import { CheckpointApp } from './app.js';

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const api = createApiClient(await loadApiBaseUrl());
  new CheckpointApp(root, api).start();
  if ('serviceWorker' in navigator && window.isSecureContext) {
    // The page itself then opens without network; API answers are never cached.
    navigator.serviceWorker.register('sw.js').catch(() => undefined);
  }
}

void main();
