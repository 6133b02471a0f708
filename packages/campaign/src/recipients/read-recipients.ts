import { createReadStream } from 'node:fs';
import { checkTemplateParameter, InvalidOptionError, parsePhoneNumber } from '@wavid/publish/without-store';
import { CampaignError } from '../errors.js';
import { checkRowWidth, csvHeader, CsvReader, CsvSyntaxError, type CsvRow } from './parse-csv.js';
import { maskPhone, recipientKey } from './phone-privacy.js';

/** One recipient of a campaign, as read from the list. Only `key`, `masked` and `line` are ever written down. */
export interface Recipient {
  /** The ledger's key: a salted hash of the number. */
  key: string;
  /** E.164 digits without `+`; kept in memory only, to send to. */
  digits: string;
  /** For people: `+49•••••••5678`. */
  masked: string;
  /** The CSV line the number first appears on. */
  line: number;
  /** Values of the `--param` columns, in order. */
  parameters: string[];
}

export interface RecipientList {
  recipients: Recipient[];
  /** Rows whose number appeared on an earlier line; each number is sent once. */
  duplicates: { line: number; firstLine: number }[];
}

export interface ReadRecipientsOptions {
  /** The campaign's salt for recipient keys. */
  salt: string;
  /** CSV columns whose values fill the template body's parameters, in order. */
  parameterColumns?: readonly string[] | undefined;
  /** The column with the numbers. Default `phone`. */
  phoneColumn?: string | undefined;
}

/**
 * Turns the records of a recipient list into recipients one row at a time, so a list of any length is checked in
 * constant memory: a header row with a `phone` column (E.164) and the parameter columns. Any malformed row or
 * invalid number is a CampaignError `bad-recipients` naming its line, so nothing is sent from a list with a mistake
 * in it. Numbers listed twice are left to the caller (the ledger tells them apart). Pure.
 */
export class RecipientRowReader {
  private header: string[] | null = null;
  private phoneIndex = -1;
  private parameterIndexes: number[] = [];
  private readonly phoneColumn: string;

  constructor(private readonly options: ReadRecipientsOptions) {
    this.phoneColumn = options.phoneColumn ?? 'phone';
  }

  /** The recipient of a data row, or null for the header row (the first record). */
  read(record: CsvRow): Recipient | null {
    if (this.header === null) {
      this.readHeader(record);
      return null;
    }
    const { header, phoneColumn } = this;
    guardCsv(() => {
      checkRowWidth(record, header);
    });
    const raw = record.fields[this.phoneIndex] ?? '';
    let digits: string;
    try {
      digits = parsePhoneNumber(raw, phoneColumn);
    } catch (error) {
      // The number is not repeated in the message: it is personal data and may be most of a real number.
      if (error instanceof InvalidOptionError) {
        throw new CampaignError('bad-recipients', `recipient list, line ${record.line}: the ${phoneColumn} column is not an E.164 number (a country code and 8 to 15 digits, such as +4915112345678)`, { line: record.line });
      }
      throw error;
    }
    const parameters = this.parameterIndexes.map((index, position) => {
      const column = header[index] ?? '';
      try {
        return checkTemplateParameter(record.fields[index] ?? '', `column '${column}'`);
      } catch (error) {
        if (error instanceof InvalidOptionError) throw new CampaignError('bad-recipients', `recipient list, line ${record.line}: ${error.message} (body parameter ${position + 1})`, { line: record.line });
        throw error;
      }
    });
    return { key: recipientKey(digits, this.options.salt), digits, masked: maskPhone(digits), line: record.line, parameters };
  }

  /** After the last record: a list without even a header row is refused. */
  end(): void {
    if (this.header === null) guardCsv(() => csvHeader(undefined));
  }

  private readHeader(record: CsvRow): void {
    const header = csvHeader(record);
    const { phoneColumn } = this;
    this.phoneIndex = header.indexOf(phoneColumn);
    if (this.phoneIndex < 0) throw new CampaignError('bad-recipients', `recipient list, line 1: no '${phoneColumn}' column (columns: ${header.join(', ')})`, { line: 1 });
    this.parameterIndexes = (this.options.parameterColumns ?? []).map((column) => {
      const index = header.indexOf(column);
      if (index < 0) throw new CampaignError('bad-recipients', `recipient list, line 1: no '${column}' column for --param (columns: ${header.join(', ')})`, { line: 1 });
      return index;
    });
    this.header = header;
  }
}

/** CSV syntax errors as the list's error, with the line. */
function guardCsv<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CampaignError('bad-recipients', `recipient list, ${error.message}`, { line: error.line });
    throw error;
  }
}

/**
 * Reads a recipient list from a file as it streams in: each row's recipient, in order, repeats included. Memory
 * stays the same whatever the list's length. A file that cannot be read is an InvalidOptionError `recipients`.
 */
export async function* streamRecipients(path: string, options: ReadRecipientsOptions & { signal?: AbortSignal | undefined }): AsyncGenerator<Recipient> {
  const csv = new CsvReader();
  const rows = new RecipientRowReader(options);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024, signal: options.signal });
  const pieces = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  try {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await pieces.next();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new InvalidOptionError('recipients', () => `cannot read the recipient list ${path}: ${(error as Error).message}`);
      }
      const records = next.done ? guardCsv(() => csv.end()) : guardCsv(() => csv.push(next.value));
      for (const record of records) {
        const recipient = rows.read(record);
        if (recipient) yield recipient;
      }
      if (next.done) break;
    }
    rows.end();
  } finally {
    stream.destroy();
  }
}

/**
 * Reads a whole recipient list held in memory (see RecipientRowReader). A number listed twice is kept once, at its
 * first line. Pure.
 */
export function readRecipients(text: string, options: ReadRecipientsOptions): RecipientList {
  const csv = new CsvReader();
  const rows = new RecipientRowReader(options);
  const recipients: Recipient[] = [];
  const duplicates: RecipientList['duplicates'] = [];
  const firstLineByKey = new Map<string, number>();
  for (const record of guardCsv(() => [...csv.push(text), ...csv.end()])) {
    const recipient = rows.read(record);
    if (!recipient) continue;
    const firstLine = firstLineByKey.get(recipient.key);
    if (firstLine !== undefined) {
      duplicates.push({ line: recipient.line, firstLine });
      continue;
    }
    firstLineByKey.set(recipient.key, recipient.line);
    recipients.push(recipient);
  }
  rows.end();
  return { recipients, duplicates };
}
