/**
 * Vitest: one DynamoDB Local per run (globalSetup); each test file makes its own table from infra/.
 * tests/browser/ (headless Chromium) runs with `npm run test:browser`, which CI runs after `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: process.env.MEDPAY_BROWSER_TESTS ? ['tests/browser/**/*.test.ts'] : ['tests/**/*.test.ts'],
    exclude: process.env.MEDPAY_BROWSER_TESTS ? [] : ['tests/browser/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
