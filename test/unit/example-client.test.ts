import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifiedFieldsModule } from '../../examples/apollo/classified-fields-module';

const root = join(__dirname, '..', '..');

describe('the example client setup', () => {
  it('lists exactly the classified fields of the committed schema.graphql (regenerate with npm run schema)', () => {
    const sdl = readFileSync(join(root, 'schema.graphql'), 'utf8');
    expect(readFileSync(join(root, 'examples', 'apollo', 'classified-fields.ts'), 'utf8')).toBe(classifiedFieldsModule(sdl));
  });
});
