/**
 * A local serverless plugin: before `package` or `deploy` of any stage but local and ci, the resolved
 * function environment is checked with medpay's config schema (scripts/check-config.ts, the same rules the
 * functions apply at start), and every missing or malformed parameter is named before anything is built.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

/** Stages that run without provider accounts: the local stack and the CI packaging check. */
const UNCHECKED_STAGES = new Set(['local', 'ci']);

class CheckParams {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  check() {
    const stage = this.serverless.service.provider.stage;
    if (UNCHECKED_STAGES.has(stage)) return;
    const env = this.serverless.service.provider.environment ?? {};
    const dir = this.serverless.serviceDir;
    // VARIABLE → parameter, from serverless.yml's own text (`ALIPAY_APP_ID: ${env:…, param:alipayAppId}`).
    const params = Object.fromEntries(
      [
        ...readFileSync(path.join(dir, 'serverless.yml'), 'utf8').matchAll(
          /^ +([A-Z][A-Z0-9_]+): .*\bparam:(\w+)/gm,
        ),
      ].map((m) => [m[1], m[2]]),
    );
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(dir, 'scripts/check-config.ts')],
      {
        cwd: dir,
        input: JSON.stringify({ ...env, STAGE: stage }),
        encoding: 'utf8',
      },
    );
    const issues = JSON.parse(out);
    if (issues.length === 0) return;
    /** `ALIPAY_APP_ID` → `alipayAppId (ALIPAY_APP_ID)`: the parameter a hospital sets. */
    const name = (variable) => {
      const param = params[variable];
      return param ? `${param} (${variable})` : variable;
    };
    const lines = issues.map(
      (i) =>
        `  - ${i.variable ? `${name(i.variable)}: ` : ''}${i.message.replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, (v) => (v in params ? name(v) : v))}`,
    );
    throw new this.serverless.classes.Error(
      `Stage "${stage}" is not configured; nothing was built. Set these with --param="name=value" (README, "Set up a hospital"):\n${lines.join('\n')}`,
    );
  }
}

module.exports = CheckParams;
