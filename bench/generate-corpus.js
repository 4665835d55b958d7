// Writes a deterministic synthetic corpus of measure files shaped like the fixtures: the 27
// illustrative Member State files of fixtures/eu27, cycled, each copy with its own as_of date so
// that every file is a measure set of its own (as an archive of dated versions is).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATES = path.join(ROOT, 'fixtures/eu27');

export function generateCorpus(size, outDir) {
  const marker = path.join(outDir, `.complete-${size}`);
  if (existsSync(marker)) return outDir;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const templates = readdirSync(TEMPLATES).filter((n) => n.endsWith('.yaml')).sort().map((n) => readFileSync(path.join(TEMPLATES, n), 'utf8'));
  const start = Date.UTC(2014, 0, 1);
  for (let i = 0; i < size; i++) {
    const template = templates[i % templates.length];
    const asOf = new Date(start + Math.floor(i / templates.length) * 86_400_000).toISOString().slice(0, 10);
    const text = template.replace(/^as_of: .*$/m, `as_of: ${asOf}`);
    const folder = path.join(outDir, String(Math.floor(i / 1000)).padStart(2, '0'));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `m${String(i).padStart(5, '0')}.yaml`), text);
  }
  writeFileSync(marker, '');
  return outDir;
}
