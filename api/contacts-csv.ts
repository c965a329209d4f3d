import { parse } from 'csv-parse/sync';
import { AppError } from '../domain/errors.js';

const PHONE_COLUMNS = ['phone', 'phone_number', 'phonenumber', 'number', 'to', 'mobile'];
const TIMEZONE_COLUMNS = ['timezone', 'time_zone', 'tz'];

/**
 * A contact list as CSV: a header row naming a phone column (phone, phone_number,
 * number, to, mobile) and optionally a time zone column (timezone, tz); every other
 * column becomes a variable for the agent. Each row keeps its line number, so a bad row
 * can be reported where it is in the file.
 */
export function contactsFromCsv(text: string): { row: number; input: unknown }[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((name) => name.trim()), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
  } catch (error) {
    throw new AppError('invalid_csv', `the CSV cannot be read: ${(error as Error).message}`, 400);
  }
  if (records.length === 0) return [];
  const columns = Object.keys(records[0]!.record);
  const phoneColumn = columns.find((column) => PHONE_COLUMNS.includes(column.toLowerCase()));
  if (!phoneColumn) throw new AppError('invalid_csv', `the header needs a phone column (${PHONE_COLUMNS.join(', ')}); it has ${columns.join(', ') || 'none'}`, 400);
  const timezoneColumn = columns.find((column) => TIMEZONE_COLUMNS.includes(column.toLowerCase()));
  return records.map(({ record, info }) => {
    const variables: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (column !== phoneColumn && column !== timezoneColumn && value !== undefined && value !== '') variables[column] = value;
    }
    return { row: info.lines, input: { phone: record[phoneColumn] ?? '', ...(timezoneColumn && record[timezoneColumn] ? { timezone: record[timezoneColumn] } : {}), variables } };
  });
}
