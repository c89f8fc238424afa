/**
 * The documents a clone carries (#19): every relative link in the README and docs/ resolves to a file
 * inside the repository (and a `#fragment` to one of its headings), and no text points at a path outside it.
 * Web addresses (the providers' documentation) are references to the world and are not followed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const documents = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f)),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchors(file: string): Set<string> {
  const out = new Set<string>();
  let fence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const heading = !fence && /^#{1,6} (.+)$/.exec(line);
    if (heading) out.add(anchor(heading[1] as string));
  }
  return out;
}

/** Every Markdown link target of a file, outside code blocks. */
function links(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

describe('README and docs/', () => {
  it('are there', () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  for (const file of documents) {
    const name = relative(ROOT, file);
    it(`${name}: every relative link stays in the repository and resolves`, () => {
      const broken: string[] = [];
      for (const target of links(file)) {
        if (/^(https?|mailto):/.test(target)) continue;
        const [path, fragment] = target.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : resolve(dirname(file), decodeURI(path));
        if (relative(ROOT, resolved).startsWith('..') || !resolved.startsWith(ROOT)) {
          broken.push(`${target}: outside the repository`);
          continue;
        }
        if (!existsSync(resolved)) broken.push(`${target}: no such file`);
        else if (fragment && resolved.endsWith('.md') && !anchors(resolved).has(fragment))
          broken.push(`${target}: no such heading`);
      }
      expect(broken).toEqual([]);
    });

    it(`${name}: names no path outside the repository`, () => {
      expect(readFileSync(file, 'utf8')).not.toMatch(/\.\.\/shared\/|(^|[\s`(])\/work\//m);
    });
  }
});
