import type { RuleSet } from '../src/ruleset/types.js';

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}
export function createRandom(seed: number): Random;
export function measureFileText(random: Random, ruleset: RuleSet, file: { memberState: string; asOf: string }): string;
export function generateCorpus(size: number, outDir: string, ruleset: RuleSet, seed?: number): string;
