/** EU Member State codes as the EU writes them (EL for Greece), in protocol order. */
export const EU_MEMBER_STATES = [
  'BE', 'BG', 'CZ', 'DK', 'DE', 'EE', 'IE', 'EL', 'ES', 'FR', 'HR', 'IT', 'CY', 'LV',
  'LT', 'LU', 'HU', 'MT', 'NL', 'AT', 'PL', 'PT', 'RO', 'SI', 'SK', 'FI', 'SE',
] as const;

/** Why a common code is not accepted, where there is a known reason (the schema gives the same advice: MEMBER_STATE_HINTS). */
export function memberStateHint(code: string): string {
  const upper = code.toUpperCase();
  if (Object.hasOwn(MEMBER_STATE_HINTS, upper)) return `; ${MEMBER_STATE_HINTS[upper]}`;
  return EU_MEMBER_STATES.includes(upper as (typeof EU_MEMBER_STATES)[number]) ? `; write it in upper case: ${upper}` : '';
}

/** Codes people write for a Member State that the EU writes otherwise, with the advice messages give. */
export const MEMBER_STATE_HINTS: Record<string, string> = {
  GR: 'the EU code for Greece is EL',
  GB: 'the EU code for the United Kingdom is UK',
  UK: 'the United Kingdom left the EU on 31 January 2020 (a rule set that bound it lists UK under addressees)',
};
