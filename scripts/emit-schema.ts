import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGatewaySchema } from '../src/schema';
import { printGatewaySchema } from '../src/schema-printer';
import { classifiedFieldsModule } from '../examples/apollo/classified-fields-module';

/** `npm run schema`: writes schema.graphql at the repository root and the example clients' list of classified fields. */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const sdl = printGatewaySchema(await buildGatewaySchema());
  writeFileSync(join(root, 'schema.graphql'), sdl);
  writeFileSync(join(root, 'examples', 'apollo', 'classified-fields.ts'), classifiedFieldsModule(sdl));
  process.stdout.write(`wrote schema.graphql and examples/apollo/classified-fields.ts\n`);
}

void main();
