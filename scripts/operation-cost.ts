import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { loadConfig } from '../src/config';
import { countTokens, measureOperation } from '../src/limits';
import { buildGatewaySchema } from '../src/schema';

/**
 * `npm run cost -- examples/persisted-documents.json` (or `.graphql` files): prints, for every
 * operation, what the operation limits measure (tokens, depth, root fields, aliases, cost;
 * variables absent, so `first: $n` counts its default) next to the budgets of each viewer class.
 * A manifest holds whole documents (fragments included), so it measures exactly what clients send.
 */
async function main(): Promise<void> {
  const schema = await buildGatewaySchema();
  const { budgets, assumedListSize } = loadConfig({ ...process.env, NODE_ENV: 'development' }).operationLimits;
  process.stdout.write(
    `budgets (anonymous / member / staff): ${['tokens', 'depth', 'rootFields', 'aliases', 'cost']
      .map(
        (key) =>
          `${key} ${Object.values(budgets)
            .map((budget) => budget[key as keyof typeof budget])
            .join('/')}`,
      )
      .join(', ')}\n`,
  );
  const sources = process.argv
    .slice(2)
    .flatMap((file) =>
      file.endsWith('.json')
        ? Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map((text) => [file, text] as const)
        : [[file, readFileSync(file, 'utf8')] as const],
    );
  for (const [file, source] of sources) {
    const document = parse(source);
    for (const operation of document.definitions) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const measured = measureOperation(schema, document, operation, { assumedListSize });
      process.stdout.write(
        `${file} ${operation.name?.value ?? '(anonymous)'}: tokens (whole document) ${countTokens(source)}, depth ${measured.depth}, root fields ${measured.rootFields}, aliases ${measured.aliases}, cost ${measured.cost}\n`,
      );
    }
  }
}

void main();
