import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** How a field's value is masked when the policy says MASK. Declared per field with its category. */
export type MaskKind = 'phone' | 'idNumber' | 'name' | 'card' | 'address' | 'ip' | 'coordinates' | 'date' | 'text';

const stars = (count: number) => '*'.repeat(Math.max(count, 1));

/** Keeps `keepEnd` trailing characters (and `keepStart` leading ones), but always hides at least half. */
function keepEnds(value: string, keepStart: number, keepEnd: number): string {
  const visible = Math.min(keepStart + keepEnd, Math.floor(value.length / 2));
  const end = Math.min(keepEnd, visible);
  const start = Math.min(keepStart, visible - end);
  return `${value.slice(0, start)}${stars(value.length - start - end)}${end > 0 ? value.slice(-end) : ''}`;
}

/** The district's own name and its keyword: "Huangpu District". */
const DISTRICT = /[^\s,]+\s+(?:district|county|borough|prefecture)\b/i;

const MASKS: Record<MaskKind, (value: string) => string> = {
  /** +8613812345678 → 138****5678; elsewhere the country code and at most the last four digits. */
  phone(value) {
    const phone = parsePhoneNumberFromString(value);
    if (!phone) return stars(value.length);
    const national = phone.nationalNumber;
    if (phone.countryCallingCode === '86' && national.length === 11) return `${national.slice(0, 3)}****${national.slice(-4)}`;
    return `+${phone.countryCallingCode} ${keepEnds(national, 0, national.length >= 8 ? 4 : 2)}`;
  },
  /** 440305199001011234 → 4403**********1234. */
  idNumber(value) {
    return keepEnds(value, 4, 4);
  },
  /** 张三 → 张*; John Doe → J*** D**. */
  name(value) {
    const words = value.trim().split(/\s+/);
    if (words.length > 1) return words.map((word) => `${word.slice(0, 1)}${stars(word.length - 1)}`).join(' ');
    const chars = [...value.trim()];
    return `${chars[0] ?? ''}${stars(chars.length - 1)}`;
  },
  /** Only the last four digits. */
  card(value) {
    return `**** **** **** ${value.replace(/\D/g, '').slice(-4)}`;
  },
  /** Down to district level: everything before the district goes; no district found, nothing is shown. */
  address(value) {
    const chinese = /^(.*?(?:区|县|旗))/.exec(value);
    if (chinese) return `${chinese[1]}***`;
    const match = DISTRICT.exec(value);
    return match ? `***, ${value.slice(match.index).trim()}` : '***';
  },
  /** IPv4 to its /24, IPv6 to its /48. */
  ip(value) {
    if (value.includes(':')) return `${value.split(':').slice(0, 3).join(':')}::/48`;
    const octets = value.split('.');
    return octets.length === 4 ? `${octets.slice(0, 3).join('.')}.0/24` : '***';
  },
  /** "lat,lng" to two decimals (about a kilometre). */
  coordinates(value) {
    return value
      .split(',')
      .map((part) => (Number.isFinite(Number(part)) ? Number(part).toFixed(2) : '*'))
      .join(',');
  },
  /** YYYY-MM-DD → YYYY-**-**. */
  date(value) {
    return `${value.slice(0, 4)}-**-**`;
  },
  text(value) {
    const chars = [...value];
    return `${chars[0] ?? ''}${stars(chars.length - 1)}`;
  },
};

/** Masks a field value (strings, and strings inside lists); other values cannot be masked and become null. */
export function mask(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => mask(kind, item));
  if (typeof value === 'string') return MASKS[kind](value);
  return null;
}
