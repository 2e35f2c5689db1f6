import { Matches } from 'class-validator';

/**
 * A product id is an identifier, not text: letters, digits and `._:-`, 1 to 64 long. It is
 * shown to other visitors (in aggregate recommendations), so markup or free text must never
 * get in.
 */
export const PRODUCT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const IsProductId = () => Matches(PRODUCT_ID, { message: 'productId must be 1-64 letters, digits or . _ : -' });
