/** Feature vectors: checks, L2 normalisation, cosine similarity, and a compact storage form. */

export const MIN_DIMENSIONS = 64;
export const MAX_DIMENSIONS = 1024;

/** What is wrong with a template or sample, or null. */
export function vectorProblem(values: number[]): string | null {
  if (values.length < MIN_DIMENSIONS || values.length > MAX_DIMENSIONS) return `must have ${MIN_DIMENSIONS}-${MAX_DIMENSIONS} values`;
  if (!values.every(Number.isFinite)) return 'must contain finite numbers only';
  if (values.every((value) => value === 0)) return 'must not be all zeros';
  return null;
}

export function normalise(values: number[]): Float32Array {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  return Float32Array.from(values, (value) => value / norm);
}

/** Both already normalised: the dot product is the cosine. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i]! * b[i]!;
  return dot;
}

export const toStored = (vector: Float32Array): string => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');

export function fromStored(stored: string): Float32Array {
  const bytes = Buffer.from(stored, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
