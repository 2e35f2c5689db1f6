/** The document types the site accepts for real-name authentication. */
export type DocumentTypeName = 'ID_CARD' | 'PASSPORT' | 'HOUSEHOLD_REGISTER';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The birth date (YYYY-MM-DD) encoded in a valid PRC resident ID, or null. */
export function idCardBirthDate(number: string): string | null {
  const match = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(number);
  if (!match) return null;
  const [, year, month, day] = match;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(date) || date < '1900-01-01' || parsed.getTime() > Date.now()) return null;
  return date;
}

/** GB 11643-1999: the 18th character is the weighted sum of the first 17 mod 11, mapped to 1,0,X,9…2. */
export function hasValidCheckCharacter(number: string): boolean {
  if (!/^\d{17}[\dX]$/.test(number)) return false;
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(number[index]), 0);
  return CHECK_CHARACTERS[sum % 11] === number[17];
}

/** Normalises a document number for storage and comparison (upper case, no spaces). */
export function normaliseDocumentNumber(number: string): string {
  return number.replace(/\s/g, '').toUpperCase();
}

/** What is wrong with a document number of this type, or null. Never repeats the number. */
export function documentProblem(type: DocumentTypeName, rawNumber: string): string | null {
  const number = normaliseDocumentNumber(rawNumber);
  switch (type) {
    case 'ID_CARD':
      if (!/^\d{17}[\dX]$/.test(number)) return 'documentNumber must be an 18-character resident ID number';
      if (idCardBirthDate(number) === null) return 'documentNumber does not contain a real birth date';
      if (!hasValidCheckCharacter(number)) return 'documentNumber has a wrong check character';
      return null;
    case 'PASSPORT':
      return /^[A-Z0-9]{5,20}$/.test(number) ? null : 'documentNumber must be 5-20 letters or digits for a passport';
    case 'HOUSEHOLD_REGISTER':
      return /^[A-Z0-9]{6,20}$/.test(number) ? null : 'documentNumber must be 6-20 letters or digits for a household register';
    default:
      return 'documentType is not supported';
  }
}
