import { join } from 'node:path';
import { Kind } from 'graphql';
import { loadTypeDefs } from '@simpul/service-kit';
import { AUDITED_FIELDS } from './task-audit';

describe('fields task handlers report to the audit log', () => {
  it('are fields of personal-data types in Dukcapil’s own SDL', () => {
    const typeDefs = loadTypeDefs(join(__dirname, '..'));
    const personalFields = new Set(
      typeDefs.definitions.flatMap((definition) =>
        definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.directives?.some((d) => d.name.value === 'personalData')
          ? (definition.fields ?? []).map((field) => `${definition.name.value}.${field.name.value}`)
          : [],
      ),
    );
    expect(AUDITED_FIELDS.filter((field) => !personalFields.has(field))).toEqual([]);
  });
});
