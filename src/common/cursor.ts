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

/** A cursor at a row known to clients by a public id (see public-id.ts). */
export function encodeIdCursor(id: string): string {
  return Buffer.from(`i:${id}`, 'utf8').toString('base64url');
}

export function decodeIdCursor(cursor: string | null | undefined, field = 'after'): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = /^i:([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badUserInput(field, `${field} is not a cursor from this API`);
  return match[1];
}

/** A keyset position of (time, public id), for lists ordered by time rather than by insertion. */
export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(`t:${at.getTime()}:${id}`, 'utf8').toString('base64url');
}

export function decodeTimeCursor(cursor: string | null | undefined, field = 'after'): { at: Date; id: string } | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = /^t:(-?\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badUserInput(field, `${field} is not a cursor from this API`);
  return { at: new Date(Number(match[1])), id: match[2]! };
}
