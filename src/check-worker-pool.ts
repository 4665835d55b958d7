import { fs } from './node-fs.js';
import type { CheckOptions, GroupOutput, PlannedGroup } from './check-types.js';
import { compactRule, ResultSharing } from './evaluate/compact-result.js';
import type { MemberStateResult } from './evaluate/result.js';
import type { RuleSet } from './ruleset/types.js';

/** Main-thread side of the worker threads that share a large `check` (the worker side is check-worker.ts). */

export function mergeOutputs(outputs: readonly GroupOutput[]): GroupOutput {
  return {
    inputs: outputs.flatMap((o) => o.inputs),
    diagnostics: outputs.flatMap((o) => o.diagnostics),
    results: outputs.flatMap((o) => o.results),
    misfiled: outputs.flatMap((o) => o.misfiled),
    failed: outputs.flatMap((o) => o.failed),
  };
}

/** Each worker thread's heap (see processInWorkers); a test lowers it to see a worker run out. */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 192 };

/**
 * Shares the planned sets among `count` worker threads (each loads the rule set itself) in batches,
 * and puts back the rule objects that results name by id. Undefined, for the caller to do the run in
 * this thread, when the compiled worker is not there (running from source) or a worker ran out of memory.
 */
export async function processInWorkers(
  groups: readonly PlannedGroup[],
  count: number,
  ruleset: RuleSet,
  options: CheckOptions,
): Promise<GroupOutput[] | undefined> {
  const script = new URL('./check-worker.js', import.meta.url);
  if (!fs.existsSync(script)) return undefined;
  const { Worker } = await import('node:worker_threads');
  const rulesById = new Map(ruleset.rules.map((r) => [r.id, r]));
  const batchSize = Math.max(1, Math.min(50, Math.ceil(groups.length / (count * 4))));
  // A run large enough for workers keeps its compact results packed (see ResultSharing).
  const sharing = new ResultSharing(true);

  // A structured clone copies every string; sharing this thread's rule objects and strings again keeps
  // thousands of results small.
  // Rebuilt field by field too: objects a structured clone makes each get a hidden class of their own.
  const restore = (result: MemberStateResult) => {
    // Compact results are packed straight from the clone's objects.
    if (options.compact) for (const r of result.rules) r.rule = rulesById.get(r.rule as unknown as string)!;
    else result.rules = result.rules.map((r) => compactRule({ ...r, rule: rulesById.get(r.rule as unknown as string)! }, r.checks));
    return sharing.share(result, options.compact);
  };
  let next = 0;
  const workerOptions = { rules: typeof options.rules === 'string' ? options.rules : undefined, evaluationDate: options.evaluationDate, today: options.today, validateOnly: options.validateOnly, compact: options.compact, maxFileSize: options.maxFileSize };
  const workers: InstanceType<typeof Worker>[] = [];
  const run = () =>
    new Promise<GroupOutput[]>((resolve, reject) => {
      // Limits that keep a large run small (bench corpus, 10,000 files, two workers: 416 MB and 40 s
      // unlimited but for an 8 MB young generation; 344-356 MB and 35-39 s so): a young generation
      // where each file's garbage dies, and an old one that V8 collects instead of growing. Hostile
      // files stay well within it (npm run bench:attacks: none takes 240 MB in all); a worker that
      // runs out all the same has its run redone in this thread, which has no such limit.
      const worker = new Worker(script, { workerData: workerOptions, resourceLimits: { ...WORKER_LIMITS } });
      workers.push(worker);
      const outputs: GroupOutput[] = [];
      const feed = () => {
        if (next >= groups.length) return void worker.postMessage(null);
        const batch = groups.slice(next, next + batchSize);
        next += batch.length;
        worker.postMessage(batch);
      };
      worker.on('message', (message: GroupOutput | 'ready') => {
        if (message !== 'ready') {
          for (const entry of message.results) entry[1] = entry[1].map(restore);
          outputs.push(message);
        }
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve(outputs) : reject(new Error(`a check worker stopped with exit code ${code}`))));
    });
  try {
    return (await Promise.all(Array.from({ length: count }, run))).flat();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
    await Promise.all(workers.map((w) => w.terminate()));
    return undefined;
  }
}
