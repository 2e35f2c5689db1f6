import type { Viewer } from '../auth/viewer';

/** What one operation may measure, for one kind of viewer. */
export interface Budget {
  /** Lexical tokens of the document, checked before it is parsed. */
  tokens: number;
  depth: number;
  /** Aliased fields, counted after expanding fragments. */
  aliases: number;
  /** Root fields, counted after expanding fragments. */
  rootFields: number;
  /** Fields resolved, each list multiplied by its `first` (or assumed length), see operation-cost.ts. */
  cost: number;
}

export type ViewerClass = 'anonymous' | 'member' | 'staff';

/** Operation limits from configuration: a budget per viewer class and the mutation caps. */
export interface OperationLimits {
  budgets: Record<ViewerClass, Budget>;
  /** Root mutation fields in one operation, whoever asks. */
  maxRootMutations: number;
  /** Length assumed for a list field that takes no `first` argument (order items, consents...). */
  assumedListSize: number;
}

/** Staff and partner tokens (from the identity provider) share the largest budget. */
export function viewerClass(viewer: Viewer): ViewerClass {
  if (viewer.kind === 'ANONYMOUS') return 'anonymous';
  return viewer.kind === 'MEMBER' ? 'member' : 'staff';
}
