import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Normalises a member's phone to E.164, or returns null when it is not acceptable. Accepted:
 * a valid number in E.164 (`+` and country code), or a Chinese mainland mobile written without
 * `+86`. Spaces and hyphens between digits are ignored.
 */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(compact)) {
    const phone = parsePhoneNumberFromString(compact);
    return phone?.isValid() ? phone.number : null;
  }
  if (/^1\d{10}$/.test(compact)) {
    const phone = parsePhoneNumberFromString(compact, 'CN');
    return phone?.isValid() && phone.getType() === 'MOBILE' ? phone.number : null;
  }
  return null;
}
