/** How a field's value is masked when the policy says MASK. Declared per field with its category. */
export type MaskKind = 'phone' | 'idNumber' | 'name' | 'card' | 'address' | 'ip' | 'coordinates' | 'date' | 'text';

const stars = (count: number) => '*'.repeat(Math.max(count, 1));

const MASKS: Record<MaskKind, (value: string) => string> = {
  /** +8613812345678 → 138****5678; other countries keep the code and the last four digits. */
  phone(value) {
    const national = value.startsWith('+86') ? value.slice(3) : value;
    if (national.length < 8) return stars(national.length);
    return value.startsWith('+86') ? `${national.slice(0, 3)}****${national.slice(-4)}` : `${national.slice(0, 4)}${stars(national.length - 8)}${national.slice(-4)}`;
  },
  /** 440305199001011234 → 4403**********1234. */
  idNumber(value) {
    return value.length <= 8 ? `${value.slice(0, 1)}${stars(value.length - 1)}` : `${value.slice(0, 4)}${stars(value.length - 8)}${value.slice(-4)}`;
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
  /** Down to district level: the street and number go. */
  address(value) {
    const chinese = /^(.*?(?:区|县|旗))/.exec(value);
    if (chinese) return `${chinese[1]}***`;
    const parts = value.split(',').map((part) => part.trim());
    const district = parts.findIndex((part) => /\b(district|county|borough)\b/i.test(part));
    const kept = district >= 0 ? parts.slice(district) : parts.slice(1);
    return kept.length > 0 ? `***, ${kept.join(', ')}` : '***';
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
