/**
 * The finance CLIs' help and input checks (#13), run as a person runs them (node + tsx, no stack needed):
 * usage with examples, and one line on stderr with exit status 2 for anything mistyped, before any request.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const empty = mkdtempSync(join(tmpdir(), 'medpay-cli-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/finance.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MEDPAY_LOCAL_DIR: empty, MEDPAY_API_URL: '', MEDPAY_TOKEN: '' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
};

describe('npm run statement / reconcile', () => {
  it('print usage with examples for --help', () => {
    for (const command of ['statement', 'reconcile']) {
      const help = run(command, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${command} -- --date yyyy-mm-dd`));
      expect(help.stdout).toContain('Examples:');
    }
  });

  it.each([
    [['statement', '--dat', '2026-11-24'], /^usage: Unknown option '--dat'/],
    [['statement', '--date', '25/11/2026'], /^usage: --date must be a real day as yyyy-mm-dd/],
    [['statement', '--date', '2026-02-30'], /^usage: --date must be a real day/],
    [['statement', '--date', '2999-01-01'], /^usage: --date 2999-01-01 is in the future/],
    [['statement', '--date', '2026-11-24', '--format', 'pdf'], /^usage: --format must be csv or xlsx/],
    [['reconcile', '--date', '2026-11-24'], /^usage: --channel alipay\|wechatpay is required/],
    [
      ['reconcile', '--date', '2026-11-24', '--channel', 'paypal'],
      /^usage: --channel must be alipay or wechatpay/,
    ],
    [
      ['reconcile', '--date', '2026-11-24', '--channel', 'alipay'],
      /^usage: no local stack: run npm start first/,
    ],
  ])('refuse %j in one line, exit 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
