/** Values computed on first read, e.g. personal data opened from its ciphertext. */
export type LazyFields = Record<string, () => unknown>;

/**
 * Adds `lazy`'s fields to `view` as properties computed on first read and then kept. GraphQL
 * objects use it for sealed columns: a field the operation does not select, or that the policy
 * denies, is never decrypted (decryption is most of the cost of a row).
 *
 * Enumerable like ordinary fields, so spreading or serialising the view still sees every field.
 */
export function withLazyFields<T extends object, L extends LazyFields>(view: T, lazy: L): T & { [K in keyof L]: ReturnType<L[K]> } {
  for (const [name, compute] of Object.entries(lazy)) {
    let computed = false;
    let value: unknown;
    Object.defineProperty(view, name, {
      get() {
        if (!computed) {
          value = compute();
          computed = true;
        }
        return value;
      },
      set(assigned: unknown) {
        value = assigned;
        computed = true;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return view as T & { [K in keyof L]: ReturnType<L[K]> };
}
