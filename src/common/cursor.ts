import { badUserInput } from '../errors';

/** Opaque cursors: clients pass back what they got; the encoding may change without notice. */
export function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, field = 'after'): number | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = /^p:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badUserInput(field, `${field} is not a cursor from this API`);
  return Number(match[1]);
}

/** `first` within 1..max, default `fallback`. */
export function pageSize(first: number | null | undefined, max: number, fallback = 20): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badUserInput('first', `first must be between 1 and ${max}`);
  return first;
}
