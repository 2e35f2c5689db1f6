import { IsISO8601, IsLatitude, IsLongitude, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { IsProductId } from '../common/product-id.validator';
import { BrowsingKind } from './browsing.types';

@InputType()
export class LocationInput {
  @Field(() => Float)
  @IsLatitude({ message: 'latitude must be between -90 and 90' })
  latitude!: number;

  @Field(() => Float)
  @IsLongitude({ message: 'longitude must be between -180 and 180' })
  longitude!: number;
}

@InputType({ description: 'The device an event came from. Location is dropped unless the member has LOCATION consent.' })
export class DeviceInput {
  @Field()
  @Length(1, 128, { message: 'deviceIdentifier must be 1-128 characters long' })
  deviceIdentifier!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64, { message: 'model must be at most 64 characters long' })
  model?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64, { message: 'osVersion must be at most 64 characters long' })
  osVersion?: string | null;

  @Field(() => LocationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  location?: LocationInput | null;

  @Field(() => String, { nullable: true, description: 'A Wi-Fi, Bluetooth or base-station hint.' })
  @IsOptional()
  @MaxLength(128, { message: 'networkHint must be at most 128 characters long' })
  networkHint?: string | null;
}

@InputType()
export class BrowsingInput {
  @Field(() => BrowsingKind)
  kind!: BrowsingKind;

  @Field(() => String, { nullable: true, description: 'For PAGE_VIEW.' })
  @IsOptional()
  @MaxLength(2048, { message: 'url must be at most 2048 characters long' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'For SEARCH.' })
  @IsOptional()
  @MaxLength(256, { message: 'query must be at most 256 characters long' })
  query?: string | null;

  @Field(() => String, { nullable: true, description: 'For COLLECT, CART_ADD, FOLLOW and SHARE.' })
  @IsOptional()
  @IsProductId()
  productId?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 8601; defaults to now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date-time' })
  occurredAt?: string | null;

  @Field(() => DeviceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  device?: DeviceInput | null;
}
