import { ArgsType, Field, Float } from 'type-graphql';
import { BiometricKind } from './biometric.types';

@ArgsType()
export class EnrollBiometricArgs {
  @Field(() => BiometricKind)
  kind!: BiometricKind;

  @Field(() => [Float], { description: 'The client-computed feature vector, 64-1024 finite numbers.' })
  template!: number[];
}

@ArgsType()
export class BiometricLoginArgs {
  @Field({ description: 'Member name or phone.' })
  identifier!: string;

  @Field(() => BiometricKind)
  kind!: BiometricKind;

  @Field(() => [Float], { description: 'A feature vector computed like the enrolled template.' })
  sample!: number[];
}
