/** EU Member State codes as the EU writes them (EL for Greece), in protocol order. */
export const EU_MEMBER_STATES = [
  'BE', 'BG', 'CZ', 'DK', 'DE', 'EE', 'IE', 'EL', 'ES', 'FR', 'HR', 'IT', 'CY', 'LV',
  'LT', 'LU', 'HU', 'MT', 'NL', 'AT', 'PL', 'PT', 'RO', 'SI', 'SK', 'FI', 'SE',
] as const;

/** Why a common code is not accepted, where there is a known reason. */
export function memberStateHint(code: string): string {
  switch (code.toUpperCase()) {
    case 'GR':
      return '; the EU code for Greece is EL';
    case 'UK':
      return '; the United Kingdom left the EU on 31 January 2020 (a rule set that bound it lists UK under addressees)';
    case 'GB':
      return '; the EU code for the United Kingdom is UK';
    default:
      return EU_MEMBER_STATES.includes(code.toUpperCase() as (typeof EU_MEMBER_STATES)[number]) ? `; write it in upper case: ${code.toUpperCase()}` : '';
  }
}

/** Codes people write for a Member State that the EU writes otherwise, with the advice messages give. */
export const MEMBER_STATE_HINTS: Record<string, string> = {
  GR: 'the EU code for Greece is EL',
  GB: 'the EU code for the United Kingdom is UK',
  UK: 'the United Kingdom left the EU on 31 January 2020 (a rule set that bound it lists UK under addressees)',
};
