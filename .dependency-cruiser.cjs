/**
 * The direction of the pipeline, enforced (npm run lint:deps, part of npm test):
 * load → validate → evaluate → report, with the rule set beside validate and the commands on top.
 * Type-only imports count: a type running up the stages is a dependency all the same.
 */
const stage = (name) => `^src/${name}/`;
const above = {
  load: ['validate', 'evaluate', 'report', 'review', 'diff', 'analyst', 'commands'],
  ruleset: ['evaluate', 'report', 'review', 'diff', 'analyst', 'commands'],
  validate: ['evaluate', 'report', 'review', 'diff', 'analyst', 'commands'],
  evaluate: ['load', 'validate', 'report', 'review', 'diff', 'analyst', 'commands'],
  report: ['load', 'validate', 'review', 'diff', 'analyst', 'commands'],
  diff: ['review', 'analyst', 'commands'],
  review: ['diff', 'analyst', 'commands'],
  analyst: ['commands'],
};
const topLevel = ['check\\.ts', 'check-worker\\.ts', 'check-worker-pool\\.ts', 'cli\\.ts', 'index\\.ts'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import in one direction; a cycle (types included) means a shared piece belongs lower down.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...Object.entries(above).map(([from, targets]) => ({
      name: `${from}-stays-below`,
      severity: 'error',
      comment: `src/${from}/ must not depend on the stages above it (${targets.join(', ')}), nor on the pipeline entry points.`,
      from: { path: stage(from) },
      // The analyst commands (explain) run the pipeline itself; nothing else below the commands may.
      to: { path: [...targets.map(stage), ...(from === 'analyst' ? [] : topLevel.map((f) => `^src/${f}$`))] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|dist|bench|scripts)/' },
  },
};
