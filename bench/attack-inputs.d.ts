export interface AttackClass {
  name: string;
  before: string;
  input?: () => string | Uint8Array;
  stdin?: boolean;
  streamBytes?: number;
}
export const ATTACK_CLASSES: AttackClass[];
