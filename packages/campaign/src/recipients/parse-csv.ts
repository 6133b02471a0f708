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
 * Reads CSV as RFC 4180 writes it (and as spreadsheets export it), a piece at a time, so a list of any length is
 * read in constant memory: comma separated, fields in double quotes may hold commas, quotes ("") and line breaks,
 * CRLF or LF line ends, a UTF-8 byte order mark ignored, blank lines skipped. `push` returns the records a piece
 * completed (the header row among them, as line 1), `end` the last one. Rows are not checked against the header here.
 */
export class CsvReader {
  private line = 1;
  private recordLine = 1;
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private fieldWasQuoted = false;
  /** Inside a quoted field, a quote was read: a doubled quote or the closing one, as the next character says. */
  private quoteInQuoted = false;
  /** A CR was read outside quotes: dropped if a LF follows, text otherwise. */
  private carriageReturn = false;
  private started = false;
  private records: CsvRow[] = [];

  push(piece: string): CsvRow[] {
    let text = piece;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    for (let index = 0; index < text.length; index++) this.read(text.charAt(index));
    return this.records.splice(0);
  }

  end(): CsvRow[] {
    if (this.carriageReturn) {
      this.carriageReturn = false;
      this.unquoted('\r');
    }
    if (this.quoteInQuoted) {
      this.quoteInQuoted = false;
      this.quoted = false;
    }
    if (this.quoted) throw new CsvSyntaxError(this.recordLine, 'a quoted field is never closed');
    if (this.field !== '' || this.fields.length > 0 || this.fieldWasQuoted) this.endRecord();
    return this.records.splice(0);
  }

  private read(char: string): void {
    if (this.carriageReturn) {
      this.carriageReturn = false;
      if (char !== '\n') this.unquoted('\r');
    }
    if (this.quoted) {
      if (this.quoteInQuoted) {
        this.quoteInQuoted = false;
        if (char === '"') {
          this.field += '"';
          return;
        }
        this.quoted = false;
      } else {
        if (char === '"') this.quoteInQuoted = true;
        else {
          if (char === '\n') this.line++;
          this.field += char;
        }
        return;
      }
    }
    if (char === '\r') this.carriageReturn = true;
    else this.unquoted(char);
  }

  private unquoted(char: string): void {
    if (char === '"') {
      if (this.field !== '') throw new CsvSyntaxError(this.line, 'a quote inside an unquoted field; quote the whole field and double the quote');
      this.quoted = true;
      this.fieldWasQuoted = true;
    } else if (char === ',') {
      this.fields.push(this.field);
      this.field = '';
      this.fieldWasQuoted = false;
    } else if (char === '\n') {
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
    } else {
      if (this.fieldWasQuoted) throw new CsvSyntaxError(this.line, 'text after a closing quote; a quoted field must end at a comma or the line end');
      this.field += char;
    }
  }

  private endRecord(): void {
    this.fields.push(this.field);
    if (!(this.fields.length === 1 && this.fields[0] === '' && !this.fieldWasQuoted)) this.records.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = '';
    this.fieldWasQuoted = false;
  }
}

/** The header row's names: the first record, trimmed. */
export function csvHeader(first: CsvRow | undefined): string[] {
  if (!first) throw new CsvSyntaxError(1, 'the file is empty; it needs a header row with a phone column');
  return first.fields.map((name) => name.trim());
}

/** A data row must have as many fields as the header. */
export function checkRowWidth(row: CsvRow, header: readonly string[]): void {
  if (row.fields.length !== header.length) throw new CsvSyntaxError(row.line, `${row.fields.length} fields where the header has ${header.length}`);
}

/** Parses a whole CSV text (see CsvReader); every row must have as many fields as the header. Pure. */
export function parseCsv(text: string): CsvTable {
  const reader = new CsvReader();
  const [first, ...rows] = [...reader.push(text), ...reader.end()];
  const header = csvHeader(first);
  for (const row of rows) checkRowWidth(row, header);
  return { header, rows };
}
