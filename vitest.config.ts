import { defineConfig } from 'vitest/config';

// Projects do not inherit the root's setupFiles, so each names it.
const setupFiles = ['test/support/temp-cleanup.ts'];

export default defineConfig({
  test: {
    // Node 20 is fine for development (Lambda runs 22); the SDK's notice would only clutter test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Every temporary folder a test makes is removed after its file, and the run fails if one is left.
    globalSetup: ['test/support/temp-check.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles } },
      {
        test: {
          name: 'integration',
          setupFiles,
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          setupFiles,
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          setupFiles,
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
