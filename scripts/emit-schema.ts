import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGatewaySchema } from '../src/schema';
import { printGatewaySchema } from '../src/schema-printer';

/** `npm run schema`: writes schema.graphql at the repository root. */
async function main(): Promise<void> {
  const path = join(__dirname, '..', '..', 'schema.graphql');
  writeFileSync(path, printGatewaySchema(await buildGatewaySchema()));
  process.stdout.write(`wrote ${path}\n`);
}

void main();
