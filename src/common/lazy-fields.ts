/** Values computed on first read, e.g. personal data opened from its ciphertext. */
export type LazyFields = Record<string, () => unknown>;

/** Where a view keeps its lazy fields' functions and the values computed so far (not enumerable). */
const LAZY: unique symbol = Symbol('lazy fields');

interface LazyState {
  compute: LazyFields;
  values: Record<string, unknown>;
}

type WithLazyState = { [LAZY]?: LazyState };

/** One accessor pair per field name, shared by every view: the per-view state lives under LAZY. */
const accessors = new Map<string, PropertyDescriptor>();

function accessorFor(name: string): PropertyDescriptor {
  let accessor = accessors.get(name);
  if (!accessor) {
    accessor = {
      get(this: WithLazyState) {
        const state = this[LAZY]!;
        return Object.hasOwn(state.values, name) ? state.values[name] : (state.values[name] = state.compute[name]!());
      },
      set(this: WithLazyState, assigned: unknown) {
        this[LAZY]!.values[name] = assigned;
      },
      enumerable: true,
      configurable: true,
    };
    accessors.set(name, accessor);
  }
  return accessor;
}

/**
 * Adds `lazy`'s fields to `view` as properties computed on first read and then kept. GraphQL
 * objects use it for sealed columns: a field the operation does not select, or that the policy
 * denies, is never decrypted (decryption is most of the cost of a row).
 *
 * Enumerable own properties like ordinary fields, so spreading or serialising the view still sees
 * every field. The accessors are shared across views (a fresh pair per field and view made each
 * view several times slower to build than to serialise).
 */
export function withLazyFields<T extends object, L extends LazyFields>(view: T, lazy: L): T & { [K in keyof L]: ReturnType<L[K]> } {
  const target = view as T & WithLazyState;
  const state = target[LAZY];
  if (state) state.compute = { ...state.compute, ...lazy };
  else Object.defineProperty(target, LAZY, { value: { compute: lazy, values: {} } satisfies LazyState });
  for (const name of Object.keys(lazy)) Object.defineProperty(target, name, accessorFor(name));
  return view as T & { [K in keyof L]: ReturnType<L[K]> };
}
