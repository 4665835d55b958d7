export type FailOn = 'error' | 'warning' | 'info' | 'never';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'info', 'never'];
