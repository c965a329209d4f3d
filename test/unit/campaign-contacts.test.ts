import { describe, expect, it } from '@jest/globals';
import { contactsFromCsv } from '../../api/contacts-csv.js';
import { validateContacts } from '../../domain/campaigns.js';

describe('campaign contacts', () => {
  it('reads a CSV with a BOM, quotes, blank lines and extra columns as variables, keeping line numbers', () => {
    const csv = '\uFEFFPhone Number,first_name,TZ,notes\r\n+14155550100,Ana,America/Chicago,"likes ""mornings"", mostly"\r\n\r\n"+44 20 7946 0958",Bob,,\r\n';
    const rows = contactsFromCsv(csv.replace('Phone Number', 'phone_number'));
    expect(rows).toEqual([
      { row: 2, input: { phone: '+14155550100', timezone: 'America/Chicago', variables: { first_name: 'Ana', notes: 'likes "mornings", mostly' } } },
      { row: 4, input: { phone: '+44 20 7946 0958', variables: { first_name: 'Bob' } } },
    ]);
  });

  it('refuses a CSV without a phone column, or one it cannot read', () => {
    expect(() => contactsFromCsv('name\nAna\n')).toThrow('needs a phone column');
    expect(() => contactsFromCsv('phone,name\n"+1415,Ana\n')).toThrow('cannot be read');
  });

  it('keeps good rows and says for each bad one which row and why', () => {
    const { valid, rejected } = validateContacts(
      [
        { row: 2, input: { phone: '+1 415-555-0100', variables: { name: 'Ana' } } },
        { row: 3, input: { phone: '0415 555 0100' } },
        { row: 4, input: { phone: '+14155550101', timezone: 'Not/AZone' } },
        { row: 5, input: { phone: '+14155550100' } },
        { row: 6, input: { phone: '+14155550102', variables: { nested: { no: true } } } },
        { row: 7, input: { phone: '+442079460958', timezone: 'Europe/London' } },
      ],
      new Set(['+14155550999']),
    );
    expect(valid).toEqual([
      { rowNumber: 2, phoneNumber: '+14155550100', timezone: null, variables: { name: 'Ana' } },
      { rowNumber: 7, phoneNumber: '+442079460958', timezone: 'Europe/London', variables: {} },
    ]);
    expect(rejected.map((entry) => entry.row)).toEqual([3, 4, 5, 6]);
    expect(rejected[0]!.reason).toContain('not an E.164 number');
    expect(rejected[1]!.reason).toContain('not an IANA time zone');
    expect(rejected[2]!.reason).toBe('phone: +14155550100 is already in this campaign (row 2)');
    expect(rejected[3]!.reason).toContain('variables.nested');
  });
});
