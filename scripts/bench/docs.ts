import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Replaces one benchmark's section of docs/benchmarks.md (between its markers, `bench:<name>`),
 * keeping the others; a section not there yet is appended. `root` is the repository (npm runs
 * scripts there).
 */
export function writeBenchSection(root: string, name: string, section: string): void {
  const file = join(root, 'docs/benchmarks.md');
  const begin = `<!-- bench:${name} begin (written by npm run bench:${name}) -->`;
  const end = `<!-- bench:${name} end -->`;
  mkdirSync(join(root, 'docs'), { recursive: true });
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const block = `${begin}\n${section}\n${end}`;
  const at = current.indexOf(begin);
  const next = at >= 0 ? current.slice(0, at) + block + current.slice(current.indexOf(end) + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  console.log(`\nwritten to docs/benchmarks.md`);
}
