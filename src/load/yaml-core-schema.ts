/** How YAML 1.2's core schema reads a plain scalar, as the yaml library does; shared by the fast parsers. */

/** `.nan`: refused, with a message, by the full parse. */
export const NOT_A_NUMBER = Symbol('.nan');

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** Characters a null, boolean or number can start with; any other plain scalar is a string. */
const MAY_RESOLVE = new Set('~nNtTfF0123456789+-.');

export function resolvePlainScalar(text: string): unknown {
  if (text.length > 0 && !MAY_RESOLVE.has(text[0]!)) return text;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (OCT.test(text)) return parseInt(text.slice(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (HEX.test(text)) return parseInt(text.slice(2), 16);
  if (SPECIAL_FLOAT.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NOT_A_NUMBER : text[0] === '-' ? -Infinity : Infinity;
  if (EXP_FLOAT.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}
