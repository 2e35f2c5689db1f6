import { open, seal } from './aead';

/**
 * Encrypts one member's personal columns with that member's data key. Each ciphertext is bound to
 * (member, column): it cannot be replayed into another member's row or another column.
 */
export class FieldCipher {
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
    return open(this.dataKey, sealed, this.aad(column)).toString('utf8');
  }

  private aad(column: string): string {
    return `${this.memberId}:${column}`;
  }
}
