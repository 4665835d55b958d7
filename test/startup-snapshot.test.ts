import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULESET_DIR, loadRuleSetWith } from '../src/ruleset/load-ruleset.js';
import { dataFileNames, hashRuleFiles, knownHash, serializeRuleSet, snapshotFilesText, type Snapshot } from '../src/ruleset/snapshot.js';

// A snapshot of the rule set is used only while the rule files hash to its hash: any change to
// their text, however it is made, means building the rule set from the YAML again.

const MARK = 'read from the snapshot';

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const copyOfTheRules = () => {
  const dir = tempDir('conformity-rules-');
  cpSync(DEFAULT_RULESET_DIR, dir, { recursive: true });
  return dir;
};

/** A copy of the built-in rules, and a snapshot of them whose title tells when it was used. */
async function setUp() {
  // Made from another copy: loading a folder's rules once keeps them for that folder.
  const elsewhere = copyOfTheRules();
  const fromYaml = await loadRuleSetWith(elsewhere, undefined);
  const dir = copyOfTheRules();
  const snapshot = JSON.parse(serializeRuleSet(fromYaml, elsewhere)) as Snapshot;
  snapshot.ruleset.title = MARK;
  const file = path.join(tempDir('conformity-snapshot-'), 'ruleset.json');
  writeFileSync(file, JSON.stringify(snapshot));
  // As the build writes it: the text the hash was taken over, so that unchanged files need no hashing.
  writeFileSync(file.replace(/\.json$/, '-files.txt'), snapshotFilesText(fromYaml, textsOf(elsewhere)));
  return { dir, file, fromYaml, elsewhere };
}

function textsOf(dir: string): { name: string; text: string }[] {
  const names = [...readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort(), ...dataFileNames(dir)];
  return names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

/** The hash of the rule files and the data files (data/*.yaml: the real procedures) as they are now. */
function hashNow(dir: string): string {
  return hashRuleFiles(textsOf(dir));
}

const weaken = (text: string) => text.replace(/below_consent: 5\b/, 'below_consent: 4');

describe('the snapshot of the built-in rule set', () => {
  it('is used for unchanged files, with their real hash and paths', async () => {
    const { dir, file, fromYaml, elsewhere } = await setUp();
    const loaded = await loadRuleSetWith(dir, file);
    expect(loaded.title).toBe(MARK);
    expect(loaded.hash).toBe(fromYaml.hash);
    expect(loaded.hash).toBe(hashNow(dir));
    // The rule files, then the data files (data/infringements.yaml), each at its place in this folder.
    expect(loaded.files).toEqual(fromYaml.files.map((f) => path.join(dir, path.relative(elsewhere, f))));
    expect(loaded.files).toContain(path.join(dir, 'data', 'infringements.yaml'));
    expect(loaded.rules.map((r) => r.at.file)).toEqual(fromYaml.rules.map((r) => path.join(dir, path.basename(r.at.file))));
  });

  it('is rejected when a rule file changes', async () => {
    const { dir, file, fromYaml } = await setUp();
    const offences = path.join(dir, 'offences.yaml');
    const text = readFileSync(offences, 'utf8');
    expect(weaken(text)).not.toBe(text);
    writeFileSync(offences, weaken(text));
    const loaded = await loadRuleSetWith(dir, file);
    expect(loaded.title).toBe(fromYaml.title);
    expect(loaded.hash).not.toBe(fromYaml.hash);
    expect(loaded.hash).toBe(hashNow(dir));
  });

  it('is rejected when a data file changes (the real procedures are hashed with the rules)', async () => {
    const { dir, file, fromYaml } = await setUp();
    expect(dataFileNames(dir)).toEqual(['data/infringements.yaml']);
    const data = path.join(dir, 'data', 'infringements.yaml');
    writeFileSync(data, `${readFileSync(data, 'utf8')}\n# edited\n`);
    const loaded = await loadRuleSetWith(dir, file);
    expect(loaded.title).toBe(fromYaml.title);
    expect(loaded.hash).not.toBe(fromYaml.hash);
    expect(loaded.hash).toBe(hashNow(dir));
  });

  it('is rejected when another file is renamed over a rule file (as editors save)', async () => {
    const { dir, file, fromYaml } = await setUp();
    const offences = path.join(dir, 'offences.yaml');
    const saved = path.join(path.dirname(file), 'offences.yaml');
    writeFileSync(saved, weaken(readFileSync(offences, 'utf8')));
    renameSync(saved, offences);
    const loaded = await loadRuleSetWith(dir, file);
    expect(loaded.title).toBe(fromYaml.title);
    expect(loaded.hash).toBe(hashNow(dir));
  });

  it("takes the hash its companion file records only for exactly the text that hash was taken over", async () => {
    const { dir, fromYaml } = await setUp();
    const texts = textsOf(dir);
    const companion = snapshotFilesText(fromYaml, texts);
    expect(knownHash(companion, texts)).toBe(hashNow(dir));
    expect(knownHash(companion, texts.map((t, i) => (i === 1 ? { ...t, text: weaken(t.text) } : t)))).toBeUndefined();
    expect(knownHash(companion, texts.slice(1))).toBeUndefined();
    expect(knownHash(companion, texts.map((t, i) => (i === 0 ? { ...t, name: `x${t.name}` } : t)))).toBeUndefined();
    expect(knownHash(companion.slice(1), texts)).toBeUndefined();
    expect(knownHash(undefined, texts)).toBeUndefined();
  });
});
