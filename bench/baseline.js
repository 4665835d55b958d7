// The naive floor the targets are measured against: start Node, read each file, parse it with
// positions (yaml's parseDocument + LineCounter), convert it to data, and validate it with one
// ajv-compiled measure schema. No evaluation, no report. Keeps what it parsed, as naive code does.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { LineCounter, parseDocument } from 'yaml';
import { loadRuleSet } from '../dist/ruleset/load-ruleset.js';
import { deriveMeasureSchema } from '../dist/ruleset/measure-schema.js';

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []));
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(deriveMeasureSchema(await loadRuleSet()));
const kept = [];
let valid = 0;
for (const file of walk(process.argv[2]).sort()) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  const data = doc.toJS();
  if (validate(data)) valid++;
  kept.push(doc);
}
process.stdout.write(`${valid}/${kept.length}\n`);
