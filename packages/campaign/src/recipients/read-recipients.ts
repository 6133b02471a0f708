import { checkTemplateParameter, InvalidOptionError, parsePhoneNumber } from '@wavid/publish/without-store';
import { CampaignError } from '../errors.js';
import { CsvSyntaxError, parseCsv } from './parse-csv.js';
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
 * Reads a recipient list: a header row with a `phone` column (E.164) and the parameter columns. Any malformed row
 * or invalid number is a CampaignError `bad-recipients` naming its line, so nothing is sent from a list with a
 * mistake in it. A number listed twice is kept once, at its first line. Pure.
 */
export function readRecipients(csv: string, options: ReadRecipientsOptions): RecipientList {
  let table;
  try {
    table = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CampaignError('bad-recipients', `recipient list, ${error.message}`, { line: error.line });
    throw error;
  }
  const phoneColumn = options.phoneColumn ?? 'phone';
  const phoneIndex = table.header.indexOf(phoneColumn);
  if (phoneIndex < 0) throw new CampaignError('bad-recipients', `recipient list, line 1: no '${phoneColumn}' column (columns: ${table.header.join(', ')})`, { line: 1 });
  const parameterIndexes = (options.parameterColumns ?? []).map((column) => {
    const index = table.header.indexOf(column);
    if (index < 0) throw new CampaignError('bad-recipients', `recipient list, line 1: no '${column}' column for --param (columns: ${table.header.join(', ')})`, { line: 1 });
    return index;
  });
  const recipients: Recipient[] = [];
  const duplicates: RecipientList['duplicates'] = [];
  const firstLineByKey = new Map<string, number>();
  for (const row of table.rows) {
    const raw = row.fields[phoneIndex] ?? '';
    let digits: string;
    try {
      digits = parsePhoneNumber(raw, phoneColumn);
    } catch (error) {
      // The number is not repeated in the message: it is personal data and may be most of a real number.
      if (error instanceof InvalidOptionError) {
        throw new CampaignError('bad-recipients', `recipient list, line ${row.line}: the ${phoneColumn} column is not an E.164 number (a country code and 8 to 15 digits, such as +4915112345678)`, { line: row.line });
      }
      throw error;
    }
    const key = recipientKey(digits, options.salt);
    const firstLine = firstLineByKey.get(key);
    if (firstLine !== undefined) {
      duplicates.push({ line: row.line, firstLine });
      continue;
    }
    firstLineByKey.set(key, row.line);
    const parameters = parameterIndexes.map((index, position) => {
      const column = table.header[index] ?? '';
      try {
        return checkTemplateParameter(row.fields[index] ?? '', `column '${column}'`);
      } catch (error) {
        if (error instanceof InvalidOptionError) throw new CampaignError('bad-recipients', `recipient list, line ${row.line}: ${error.message} (body parameter ${position + 1})`, { line: row.line });
        throw error;
      }
    });
    recipients.push({ key, digits, masked: maskPhone(digits), line: row.line, parameters });
  }
  return { recipients, duplicates };
}
