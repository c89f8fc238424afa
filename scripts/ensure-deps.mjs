// `prestart` and `pretest`: on a fresh clone (no node_modules) or after the lockfile changed, runs `npm ci`
// so that `npm start` and `npm test` are the only two commands. Plain Node, no dependency: it runs before
// any is installed. A package counts as installed when node_modules/.package-lock.json (npm's record of
// what it installed) has it at the lockfile's version; optional packages for other platforms are skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

function stale() {
  if (!existsSync(join(root, 'node_modules/.package-lock.json'))) return 'node_modules is missing';
  const wanted = read('package-lock.json').packages ?? {};
  const installed = read('node_modules/.package-lock.json').packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || entry.link) continue;
    if (entry.optional && !installed[path]) continue; // another platform's binary (e.g. @esbuild/darwin-arm64)
    if (installed[path]?.version !== entry.version)
      return `${path.replace(/^node_modules\//, '')} is not at ${entry.version}`;
  }
  return undefined;
}

const reason = stale();
if (reason) {
  console.log(`medpay: installing dependencies (${reason}): npm ci`);
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  } catch {
    console.error('medpay: `npm ci` failed; run it yourself (it needs the npm registry), then try again.');
    process.exit(1);
  }
} else {
  // Installed already: apply the patches added since (each one already applied is skipped).
  await import('./patch-deps.mjs');
}
