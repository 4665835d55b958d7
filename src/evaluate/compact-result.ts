import { findingsOf, type MemberStateResult } from './result.js';
import type { Outcome } from '../types.js';

/**
 * Keeps of a result only what reports list: rules not conform or touched by an assessment, without
 * their check traces. Summaries and per-provision outcomes stay whole.
 */
export function compactResult(result: MemberStateResult): MemberStateResult {
  return {
    ...result,
    rules: findingsOf(result).map((r) => ({ ...r, checks: [] })),
    provisions: result.provisions.map((p) => sharedProvisionOutcome(p.provision, p.outcome)),
  };
}

const provisionOutcomes = new Map<string, Readonly<{ provision: string; outcome: Outcome }>>();

/** One frozen object per (provision, outcome) pair, shared by every result: 115 pointers a result. */
export function sharedProvisionOutcome(provision: string, outcome: Outcome): Readonly<{ provision: string; outcome: Outcome }> {
  const key = `${provision}\0${outcome}`;
  let shared = provisionOutcomes.get(key);
  if (!shared) provisionOutcomes.set(key, (shared = Object.freeze({ provision, outcome })));
  return shared;
}
