import { Option } from 'commander';
import { DEFAULT_MAX_FILE_SIZE } from '../load/read-input.js';

/** Options several commands share. */
export const rulesOption = () => new Option('--rules <dir>', 'rule-set folder (default: the built-in 2011/93/EU rules)');
export const maxFileSizeOption = () =>
  new Option('--max-file-size <bytes>', 'largest measure file accepted (k and m suffixes allowed)').default(String(DEFAULT_MAX_FILE_SIZE));

/** The day of the run, for assessments' `expires`: fixed for reproducible reports. */
export const todayOption = () => new Option('--today <date>', "the day of the run (YYYY-MM-DD) that assessments' expires dates are compared with (default: today)");
