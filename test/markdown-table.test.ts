import { describe, expect, it } from 'vitest';
import { mdCell } from '../src/analyst/rules-markdown.js';
import { markdownTable } from '../src/formats/markdown-text.js';

describe('markdownTable, the one Markdown table builder', () => {
  it('writes a head, a rule with each column aligned, and rows; an empty cell is a dash', () => {
    expect(markdownTable(['A', 'B', 'C'], [['1', '', '3']], ['left', 'right', 'center'])).toBe('| A | B | C |\n| --- | ---: | :---: |\n| 1 | — | 3 |');
  });
  it('aligns left when no alignment is given', () => {
    expect(markdownTable(['A'], [])).toBe('| A |\n| --- |');
  });
});

describe('the rules table escapes a rule set as the reports escape measure files', () => {
  it('leaves no emphasis, link, code, mention or HTML', () => {
    expect(mdCell('*x* _y_ [l](http://e.invalid) `c` @user #1 <b>')).toBe(
      '\\*x\\* \\_y\\_ \\[l\\](http\\://e.invalid) \\`c\\` @&#8203;user #&#8203;1 &lt;b&gt;',
    );
  });
});
