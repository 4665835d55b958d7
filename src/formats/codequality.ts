import { createHash } from 'node:crypto';
import type { CheckResult } from '../check-types.js';
import { findingsOf } from '../evaluate/result.js';
import type { Severity } from '../types.js';
import { isKnown } from './baseline.js';
import type { Reporter } from './context.js';
import { fingerprint } from './sarif.js';
import { webText } from './web-text.js';

/**
 * GitLab Code Quality: the subset of the Code Climate issue format GitLab reads (`description`,
 * `check_name`, `fingerprint`, `severity`, `location.path`, `location.lines.begin`), one JSON array.
 * Fingerprints are SARIF's (Member State, rule, provision), so an issue stays the same issue when
 * lines move. Not-applicable provisions and findings a `--baseline` knows are not issues; input
 * errors are (`check_name` `input-error`), so a merge request shows them.
 */

const SEVERITY: Record<Exclude<Severity, 'none'>, 'critical' | 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

/** GitLab wants a path relative to the repository: a leading `./` is dropped. */
const repositoryPath = (file: string) => file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');

export const formatCodeQuality: Reporter = (result: CheckResult, context) => {
  const issues: object[] = [];
  for (const d of result.diagnostics) {
    issues.push({
      type: 'issue',
      description: webText(`input error (${d.code}): ${d.message}`),
      check_name: 'input-error',
      fingerprint: fingerprintOfDiagnostic(`${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.code}`),
      severity: 'blocker',
      location: { path: repositoryPath(d.file), lines: { begin: Math.max(1, d.line) } },
    });
  }
  for (const state of result.results) {
    for (const finding of findingsOf(state)) {
      if (finding.severity === 'none' || finding.outcome === 'not-applicable' || isKnown(context.known, state, finding)) continue;
      if (context.quiet && finding.severity !== 'error') continue;
      issues.push({
        type: 'issue',
        description: webText(`${state.memberState} Art. ${finding.rule.provision} ${finding.outcome}: ${finding.message}`),
        check_name: finding.rule.id,
        fingerprint: fingerprint(state.memberState, finding),
        severity: SEVERITY[finding.severity],
        location: { path: repositoryPath(finding.at.file), lines: { begin: Math.max(1, finding.at.line) } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
};

function fingerprintOfDiagnostic(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
