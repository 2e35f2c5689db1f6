import { decodeCursor, encodeCursor } from '../common/cursor';
import { badUserInput } from '../errors';

/**
 * Bounds an export by section. Without a section every section is exported, each list at most
 * `rows` rows; with `section` (and `after`, the cursor the previous response named) only that
 * section's next rows. Sections cut short are listed in the document's `more` with their cursor.
 * A member's rows in one section are read in a fixed order, so positions are stable between calls.
 */
export class ExportWindow {
  private readonly offset: number;
  private readonly more: Record<string, string> = {};
  private readonly seen = new Set<string>();

  constructor(
    private readonly rows: number,
    private readonly section: string | null,
    after: string | null,
  ) {
    if (after !== null && section === null) throw badUserInput('after', 'after needs the section it continues');
    this.offset = decodeCursor(after) ?? 0;
  }

  /**
   * Loads one window of a list section (nothing when another section was asked for). `weight`
   * shrinks the window of sections whose rows are large (an order carries up to 50 items).
   */
  async page<T>(name: string, load: (window: { skip: number; take: number }) => Promise<T[]>, weight = 1): Promise<T[]> {
    this.seen.add(name);
    if (this.section !== null && this.section !== name) return [];
    const size = Math.max(1, Math.floor(this.rows / weight));
    const rows = await load({ skip: this.offset, take: size + 1 });
    if (rows.length > size) {
      rows.length = size;
      this.more[name] = encodeCursor(this.offset + size);
    }
    return rows;
  }

  /** The whole document, or only the asked-for section; with `more` naming what is left. */
  shape(document: Record<string, unknown>): Record<string, unknown> {
    if (this.section === null) return { ...document, more: this.more };
    if (!this.seen.has(this.section)) throw badUserInput('section', 'section must name a list section of the export');
    return {
      formatVersion: document.formatVersion,
      generatedAt: document.generatedAt,
      section: this.section,
      [this.section]: document[this.section],
      more: this.more,
    };
  }
}
