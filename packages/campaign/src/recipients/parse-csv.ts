/** One data row of a CSV file, with the line it starts on (1-based, the header being line 1). */
export interface CsvRow {
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** A CSV file that cannot be read; `line` is where the problem is. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Parses CSV as RFC 4180 writes it (and as spreadsheets export it): comma separated, fields in double quotes may
 * hold commas, quotes ("") and line breaks, CRLF or LF line ends, a UTF-8 byte order mark ignored, blank lines
 * skipped. Every row must have as many fields as the header. Pure.
 */
export function parseCsv(text: string): CsvTable {
  const records: CsvRow[] = [];
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldWasQuoted = false;
  let recordLine = 1;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldWasQuoted)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldWasQuoted = false;
  };
  for (let index = 0; index < source.length; index++) {
    const char = source.charAt(index);
    if (quoted) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted field; quote the whole field and double the quote');
      quoted = true;
      fieldWasQuoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      fieldWasQuoted = false;
    } else if (char === '\r' && source[index + 1] === '\n') {
      continue;
    } else if (char === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (fieldWasQuoted) throw new CsvSyntaxError(line, 'text after a closing quote; a quoted field must end at a comma or the line end');
      field += char;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();
  const [first, ...rows] = records;
  if (!first) throw new CsvSyntaxError(1, 'the file is empty; it needs a header row with a phone column');
  const header = first.fields.map((name) => name.trim());
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      throw new CsvSyntaxError(row.line, `${row.fields.length} fields where the header has ${header.length}`);
    }
  }
  return { header, rows };
}
