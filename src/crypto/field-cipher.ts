import { openText, seal } from './aead';

/**
 * Encrypts one member's personal columns with that member's data key. Each ciphertext is bound to
 * (member, column): it cannot be replayed into another member's row or another column.
 */
export class FieldCipher {
  private readonly aadBytes = new Map<string, Buffer>();

  constructor(
    private readonly memberId: string,
    private readonly dataKey: Buffer,
  ) {}

  seal(column: string, value: string): string;
  seal(column: string, value: string | null | undefined): string | null;
  seal(column: string, value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    return seal(this.dataKey, Buffer.from(value, 'utf8'), this.aad(column));
  }

  open(column: string, sealed: string): string;
  open(column: string, sealed: string | null | undefined): string | null;
  open(column: string, sealed: string | null | undefined): string | null {
    if (sealed === null || sealed === undefined) return null;
    return openText(this.dataKey, sealed, this.openingAad(column));
  }

  /** The additional data of a column as bytes, kept: a page opens the same few columns row after row. */
  private openingAad(column: string): Buffer {
    let aad = this.aadBytes.get(column);
    if (!aad) this.aadBytes.set(column, (aad = Buffer.from(this.aad(column), 'utf8')));
    return aad;
  }

  private aad(column: string): string {
    return `${this.memberId}:${column}`;
  }
}
