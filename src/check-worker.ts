import { parentPort, workerData } from 'node:worker_threads';
import { processGroups, resolveRuleSet, type CheckOptions, type GroupOutput, type PlannedGroup } from './check.js';
import { ResultSharing } from './evaluate/compact-result.js';

/** One worker thread of a large `check`: processes batches of planned measure sets until told to stop. */
const options = workerData as Pick<CheckOptions, 'evaluationDate' | 'today' | 'validateOnly' | 'compact' | 'maxFileSize'> & { rules?: string };
// No top-level await: the CLI's bundle of this worker is CommonJS (scripts/bundle-cli.mjs).
const loading = resolveRuleSet(options.rules);
const port = parentPort!;
port.on('message', async (batch: PlannedGroup[] | null) => {
  if (batch === null) return port.close();
  const ruleset = await loading;
  // Shared here too, before the structured clone: 10,000 files peak at ~360 MB so, ~460 MB not.
  const output: GroupOutput = await processGroups(batch, ruleset, options, undefined, new ResultSharing());
  // Rules travel by id: the main thread puts its own rule objects back.
  for (const [, results] of output.results) for (const result of results) for (const r of result.rules) (r as { rule: unknown }).rule = r.rule.id;
  port.postMessage(output);
});
loading.then(
  () => port.postMessage('ready'),
  // Thrown outside the promise: the pool's 'error' event, whatever --unhandled-rejections says (a
  // rejection left alone may only warn, and the pool would wait for ever).
  (error: unknown) => setImmediate(() => {
    throw error;
  }),
);
