/**
 * The text formats form-js fields write, as ajv formats: dates (`2027-03-01`), times and
 * date-times with the time zone setting of the field (`09:30+08:00`, `01:30Z`, `09:30`), and
 * phone numbers as a Chinese caseworker types them.
 */
import type Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FormComponent } from '../../engine';

const HHMM = '([01]\\d|2[0-3]):[0-5]\\d';
const ZONES = {
  utc_offset: '[+-](0\\d|1[0-4]):[0-5]\\d',
  utc_normalized: 'Z',
  no_timezone: '',
  // a field without the setting: whichever the client wrote
  any: '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?',
} as const;
type Zone = keyof typeof ZONES;

const EXPECTED: Record<Zone, string> = { utc_offset: 'HH:mm+08:00', utc_normalized: 'HH:mmZ', no_timezone: 'HH:mm', any: 'HH:mm' };

function zoneOf(c: FormComponent): Zone {
  return c.timeSerializingFormat && c.timeSerializingFormat in ZONES ? c.timeSerializingFormat : 'any';
}

/** The ajv format a datetime field's value must have. */
export function formatName(c: FormComponent): string {
  const subtype = c.subtype ?? 'date';
  return subtype === 'date' ? 'date' : `form-${subtype}-${zoneOf(c)}`;
}

/** How the value is written, for the error message. */
export function expectedFormat(c: FormComponent): string {
  const subtype = c.subtype ?? 'date';
  if (subtype === 'date') return 'YYYY-MM-DD';
  return subtype === 'time' ? EXPECTED[zoneOf(c)] : `YYYY-MM-DDT${EXPECTED[zoneOf(c)]}`;
}

function isRealDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Mainland mobile (13912345678), landline with area code (028-12345678) or international (+8613912345678); spaces and dashes ignored. */
export function isPhone(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  return /^(\+[1-9]\d{6,14}|1[3-9]\d{9}|0\d{9,11})$/.test(digits);
}

/** Registers the formats on an ajv instance (with ajv-formats' date, email and formatMinimum). */
export function addFormFormats(ajv: Ajv): void {
  addFormats(ajv, { formats: ['date', 'email'], keywords: true });
  ajv.addFormat('phone', { type: 'string', validate: isPhone });
  for (const zone of Object.keys(ZONES) as Zone[]) {
    const time = new RegExp(`^${HHMM}${ZONES[zone]}$`);
    const dateTime = new RegExp(`^(\\d{4}-\\d{2}-\\d{2})T${HHMM}${ZONES[zone]}$`);
    ajv.addFormat(`form-time-${zone}`, { type: 'string', validate: (s: string) => time.test(s) });
    ajv.addFormat(`form-datetime-${zone}`, {
      type: 'string',
      validate: (s: string) => dateTime.test(s) && isRealDate(s.slice(0, 10)),
      // formatMinimum (disallowPassedDates) compares the day only
      compare: (a: string, b: string) => (a.slice(0, 10) < b.slice(0, 10) ? -1 : a.slice(0, 10) > b.slice(0, 10) ? 1 : 0),
    });
  }
}
