/**
 * The direction of the pipeline, enforced (npm run lint:deps, part of npm test):
 * load → validate → evaluate → formats (check's reports) and report (the review report), with the rule
 * set beside validate and the commands on top.
 * Type-only imports count: a type running up the stages is a dependency all the same.
 */
const stage = (name) => `^src/${name}/`;
// formats: check's output formats; report: the `report` command's infringement-review report.
const above = {
  // Character classes every stage may use: they depend on nothing of ours.
  text: ['load', 'ruleset', 'validate', 'evaluate', 'formats', 'report', 'diff', 'analyst', 'commands'],
  load: ['validate', 'evaluate', 'formats', 'report', 'diff', 'analyst', 'commands'],
  ruleset: ['evaluate', 'formats', 'report', 'diff', 'analyst', 'commands'],
  validate: ['evaluate', 'formats', 'report', 'diff', 'analyst', 'commands'],
  evaluate: ['load', 'validate', 'formats', 'report', 'diff', 'analyst', 'commands'],
  formats: ['load', 'validate', 'report', 'diff', 'analyst', 'commands'],
  diff: ['report', 'analyst', 'commands'],
  report: ['diff', 'analyst', 'commands'],
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
