/** Entry point of the checkpoint page (see web/README.md). */
import { createApiClient, loadPageConfig } from './api.js';
import { startCheckpointPage } from './checkpoint-page.js';

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const config = await loadPageConfig();
  startCheckpointPage(root, createApiClient(config.apiBaseUrl), config);
  if ('serviceWorker' in navigator && window.isSecureContext) {
    // The page itself then opens without network; API answers are never cached.
    navigator.serviceWorker.register('sw.js').catch(() => undefined);
  }
}

void main();
