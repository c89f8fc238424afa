/**
 * Vitest: one DynamoDB Local per run (globalSetup); each test file makes its own table from infra/.
 * Tests that drive Debian programs, tests/browser/ (headless Chromium) and tests/office/ (LibreOffice Calc),
 * run with `npm run test:external`, which CI runs after `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: process.env.MEDPAY_EXTERNAL_TESTS
      ? ['tests/browser/**/*.test.ts', 'tests/office/**/*.test.ts']
      : ['tests/**/*.test.ts'],
    exclude: process.env.MEDPAY_EXTERNAL_TESTS
      ? []
      : ['tests/browser/**', 'tests/office/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
