// After tsc: check the built-in rule set once and store it, with its measure-file validator compiled
// to code (ajv standalone), in dist/generated/. At run time both are used only when the rule files'
// hash matches, so an edited rule file is never judged by a stale snapshot.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv } from '../dist/validate/ajv.js';
import { DEFAULT_RULESET_DIR, GENERATED_DIR } from '../dist/ruleset/load-ruleset.js';
import { buildRuleSetFromDir } from '../dist/ruleset/build-ruleset.js';
import { deriveMeasureSchema } from '../dist/ruleset/measure-schema.js';
import { serializeRuleSet, snapshotFilesText } from '../dist/ruleset/snapshot.js';

const ruleset = await buildRuleSetFromDir(DEFAULT_RULESET_DIR);
mkdirSync(GENERATED_DIR, { recursive: true });
writeFileSync(`${GENERATED_DIR}ruleset.json`, serializeRuleSet(ruleset, DEFAULT_RULESET_DIR));
// The text the hash was taken over: rule files equal to it have the snapshot's hash, found without node:crypto.
const texts = ruleset.files.map((file) => ({ name: path.relative(DEFAULT_RULESET_DIR, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') }));
writeFileSync(`${GENERATED_DIR}ruleset-files.txt`, snapshotFilesText(ruleset, texts));

const ajv = createAjv({ code: { source: true } });
const validate = ajv.compile(deriveMeasureSchema(ruleset));
const code = standaloneCode.default(ajv, validate);
writeFileSync(
  `${GENERATED_DIR}measure-validator.cjs`,
  `${code}\nmodule.exports = { hash: ${JSON.stringify(ruleset.hash)}, validate: module.exports };\n`,
);
console.log(`generated: rule set ${ruleset.id} ${ruleset.version} (${ruleset.rules.length} rules, sha256 ${ruleset.hash.slice(0, 12)})`);
