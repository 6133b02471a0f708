import { describe, expect, it } from 'vitest';
import { CampaignError } from '../errors.js';
import { CsvReader, parseCsv, type CsvRow } from './parse-csv.js';
import { maskPhone, recipientKey } from './phone-privacy.js';
import { readRecipients } from './read-recipients.js';

const SALT = '00'.repeat(32);

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF, a BOM and blank lines', () => {
    const table = parseCsv('\uFEFFphone,name\r\n+4915112345678,"Ana, ""A."""\r\n\r\n+4915112345679,"two\nlines"\n');
    expect(table.header).toEqual(['phone', 'name']);
    expect(table.rows).toEqual([
      { line: 2, fields: ['+4915112345678', 'Ana, "A."'] },
      { line: 4, fields: ['+4915112345679', 'two\nlines'] },
    ]);
  });

  it('reads the same records from a text cut into pieces anywhere', () => {
    const text = '\uFEFFphone,name\r\n+4915112345678,"Ana, ""A."""\r\n\r\n+4915112345679,"two\r\nlines"\r\n+4915112345670,x\ry\r\n';
    const whole = parseCsv(text);
    for (let cut = 1; cut < text.length; cut++) {
      const reader = new CsvReader();
      const records: CsvRow[] = [...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut)), ...reader.end()];
      expect(records).toEqual([{ line: 1, fields: whole.header }, ...whole.rows]);
    }
    const byChar = new CsvReader();
    expect([...Array.from({ length: text.length }, (_, index) => text.charAt(index)).flatMap((char) => byChar.push(char)), ...byChar.end()]).toEqual([{ line: 1, fields: whole.header }, ...whole.rows]);
    expect(whole.rows[2]?.fields[1]).toBe('x\ry');
  });

  it.each([
    ['phone,name\n+4915112345678\n', /line 2: 1 fields where the header has 2/],
    ['phone\n"+491511\n', /line 2: a quoted field is never closed/],
    ['phone,name\n+4915112345678,An"a\n', /line 2: a quote inside an unquoted field/],
    ['phone,name\n+4915112345678,"Ana"x\n', /line 2: text after a closing quote/],
    ['', /line 1: the file is empty/],
  ])('names the line of a malformed file: %j', (text, message) => {
    expect(() => parseCsv(text)).toThrow(message);
  });
});

describe('readRecipients', () => {
  it('keeps each number once, at its first line, with its parameters; never the number in the clear', () => {
    const list = readRecipients('name,phone,code\nAna,+4915112345678,A1\nBo,+4915112345679,B2\nAna again,4915112345678,A3\n', { salt: SALT, parameterColumns: ['name', 'code'] });
    expect(list.recipients.map(({ masked, line, parameters }) => ({ masked, line, parameters }))).toEqual([
      { masked: '+49•••••••5678', line: 2, parameters: ['Ana', 'A1'] },
      { masked: '+49•••••••5679', line: 3, parameters: ['Bo', 'B2'] },
    ]);
    expect(list.duplicates).toEqual([{ line: 4, firstLine: 2 }]);
    expect(list.recipients[0]?.key).toBe(recipientKey('4915112345678', SALT));
    expect(list.recipients[0]?.key).not.toBe(recipientKey('4915112345678', '11'.repeat(32)));
  });

  it.each([
    ['name\nAna\n', { line: 1, message: /no 'phone' column/ }],
    ['phone,name\n+4915112345678,Ana\n0151 9876,Bo\n', { line: 3, message: /line 3: the phone column is not an E\.164 number/ }],
    ['phone,name\n+4915112345678,\n', { line: 2, message: /line 2: column 'name' is empty/ }],
    ['phone\n+4915112345678\n', { line: 1, message: /no 'name' column for --param/ }],
  ])('refuses %j before anything is sent, naming the line', (csv, expected) => {
    let caught: unknown;
    try {
      readRecipients(csv, { salt: SALT, parameterColumns: ['name'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CampaignError);
    expect((caught as CampaignError).code).toBe('bad-recipients');
    expect((caught as CampaignError).details.line).toBe(expected.line);
    expect((caught as CampaignError).message).toMatch(expected.message);
    expect((caught as CampaignError).message).not.toContain('9876');
  });

  it('masks short and long numbers alike', () => {
    expect(maskPhone('12345678')).toBe('+12••5678');
    expect(maskPhone('123456789012345')).toBe('+12•••••••••2345');
  });
});
