import { parse } from 'graphql';
import { failedFetchErrors, type SubgraphFailure } from './failed-fetch-errors';

const failure: SubgraphFailure = {
  code: 'SUBGRAPH_UNAVAILABLE',
  message: 'The licensing service is unavailable',
  serviceName: 'licensing',
};

const pathsOf = (errors: ReturnType<typeof failedFetchErrors>) => errors.map((error) => error.path);

describe('failedFetchErrors', () => {
  it('gives a root fetch one error per root field, by response key', () => {
    const operation = parse(`query Q__dukcapil__0($nik: String!) {
      citizen(nik: $nik) { __typename nik fullName }
      card: familyCard(number: "3510010101200001") { number }
      __typename
    }`);
    const errors = failedFetchErrors(operation, { nik: '3510014101900001' }, failure);
    expect(pathsOf(errors)).toEqual([['citizen'], ['card']]);
    expect(errors[0]).toEqual({
      message: failure.message,
      path: ['citizen'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licensing' },
    });
  });

  it('gives an entity fetch one error per representation and requested field', () => {
    const operation = parse(`query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Citizen { businesses { nib name } owned: businesses { nib } __typename }
      }
    }`);
    const representations = [
      { __typename: 'Citizen', nik: '3510014101900001' },
      { __typename: 'Citizen', nik: '3510010202900002' },
    ];
    expect(pathsOf(failedFetchErrors(operation, { representations }, failure))).toEqual([
      ['_entities', 0, 'businesses'],
      ['_entities', 0, 'owned'],
      ['_entities', 1, 'businesses'],
      ['_entities', 1, 'owned'],
    ]);
  });

  it('matches each representation with the fragment of its own type, through named fragments', () => {
    const operation = parse(`query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ...CitizenFields
        ... on Vehicle { taxDue { amount } }
      }
    }
    fragment CitizenFields on Citizen { npwp propertyTaxBills { nop } }`);
    const representations = [
      { __typename: 'Vehicle', plateNumber: 'BM 1234 AB' },
      { __typename: 'Citizen', nik: '3510014101900001' },
    ];
    expect(pathsOf(failedFetchErrors(operation, { representations }, failure))).toEqual([
      ['_entities', 0, 'taxDue'],
      ['_entities', 1, 'npwp'],
      ['_entities', 1, 'propertyTaxBills'],
    ]);
  });

  it('leaves out fields that @skip/@include exclude for these variables', () => {
    const operation = parse(`query($withBills: Boolean!, $representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Citizen { npwp propertyTaxBills @include(if: $withBills) { nop } }
      }
    }`);
    const representations = [{ __typename: 'Citizen', nik: '3510014101900001' }];
    expect(pathsOf(failedFetchErrors(operation, { representations, withBills: false }, failure))).toEqual([
      ['_entities', 0, 'npwp'],
    ]);
    expect(pathsOf(failedFetchErrors(operation, { representations, withBills: true }, failure))).toEqual([
      ['_entities', 0, 'npwp'],
      ['_entities', 0, 'propertyTaxBills'],
    ]);
  });

  it('points at the entity itself when no fragment matches its type', () => {
    const operation = parse(`query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Business { name } }
    }`);
    const representations = [{ __typename: 'Citizen', nik: '3510014101900001' }];
    expect(pathsOf(failedFetchErrors(operation, { representations }, failure))).toEqual([['_entities', 0]]);
  });

  it('picks the named operation and falls back to a path-less error when it is missing', () => {
    const operation = parse(`query A { citizen(nik: "1") { nik } } query B { familyCard(number: "2") { number } }`);
    expect(pathsOf(failedFetchErrors(operation, undefined, failure, 'B'))).toEqual([['familyCard']]);
    expect(failedFetchErrors(operation, undefined, failure, 'C')).toEqual([
      { message: failure.message, extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licensing' } },
    ]);
  });
});
