/**
 * A local serverless plugin for `npm start`: once serverless-esbuild has built the functions (it is listed
 * before this plugin, so its hook runs first), esbuild's service process is stopped. Go keeps the memory of
 * 35 builds (2.5 GB) until the process exits; esbuild starts a new service by itself if `--watch` rebuilds.
 */
'use strict';

class LocalOffline {
  constructor() {
    this.hooks = {
      'before:offline:start:init': async () => {
        await require('esbuild').stop();
      },
    };
  }
}

module.exports = LocalOffline;
