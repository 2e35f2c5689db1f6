import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Max, MaxLength, Min, registerDecorator, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsProductId } from '../common/product-id.validator';
import { IsMemberPhone, IsNotBlank } from '../members/member-validators';
import { PaymentMethod } from './order.types';

/** Card numbers: 12-19 digits passing the Luhn check. */
function IsCardNumber() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCardNumber',
      target: target.constructor,
      propertyName,
      options: { message: 'cardNumber must be 12-19 digits with a valid check digit' },
      validator: { validate: (value: unknown) => typeof value === 'string' && luhn(value.replace(/[\s-]/g, '')) },
    });
}

export function luhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

@InputType()
export class OrderItemInput {
  @Field() @IsProductId() productId!: string;
  @Field() @Length(1, 200, { message: 'name must be 1-200 characters long' }) name!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200, { message: 'spec must be at most 200 characters long' }) spec?: string | null;
  @Field(() => Int) @IsInt() @Min(1, { message: 'quantity must be at least 1' }) @Max(999, { message: 'quantity must be at most 999' }) quantity!: number;
  @Field(() => Int, { description: 'In minor units (fen).' })
  @IsInt()
  @Min(0, { message: 'unitPrice must not be negative' })
  @Max(100_000_000, { message: 'unitPrice is too large' })
  unitPrice!: number;
}

@InputType()
export class PaymentInput {
  @Field(() => PaymentMethod) method!: PaymentMethod;
  @Field(() => String, { nullable: true, description: 'The third-party payment account name (ALIPAY, WECHAT_PAY).' })
  @IsOptional()
  @Length(1, 64, { message: 'accountName must be 1-64 characters long' })
  accountName?: string | null;
  @Field(() => String, { nullable: true, description: 'For CARD.' }) @IsOptional() @IsCardNumber() cardNumber?: string | null;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => [OrderItemInput])
  @ArrayMinSize(1, { message: 'items must hold at least one item' })
  @ArrayMaxSize(50, { message: 'items must hold at most 50 items' })
  @ValidateNested()
  items!: OrderItemInput[];

  @Field() @Length(1, 64, { message: 'consignee must be 1-64 characters long' }) @IsNotBlank() consignee!: string;
  @Field() @Length(1, 256, { message: 'deliveryAddress must be 1-256 characters long' }) @IsNotBlank() deliveryAddress!: string;
  @Field() @IsMemberPhone({ message: 'consigneePhone must be in E.164 format or a Chinese mainland mobile number' }) consigneePhone!: string;
  @Field(() => PaymentInput) @ValidateNested() payment!: PaymentInput;
}

export const CARRIER = /^[a-z0-9][a-z0-9-]{1,63}$/;
