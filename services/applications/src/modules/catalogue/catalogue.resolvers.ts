import type { ApplicationsContext } from '../../context';
import type { ApplicationTypeDefinition, InputDefinition, StepDefinition } from './service-catalogue';

export const catalogueResolvers = {
  Query: {
    serviceCatalog: (_: unknown, __: unknown, ctx: ApplicationsContext) => [...ctx.runtime.catalogue.applicationTypes.values()],
  },
  ApplicationTypeDefinition: {
    steps: (type: ApplicationTypeDefinition) => type.orderedSteps,
  },
  ApplicationInputDefinition: {
    options: (input: InputDefinition) => (input.kind === 'CHOICE' ? input.options : null),
    maxLength: (input: InputDefinition) => (input.kind === 'STRING' ? input.maxLength : null),
    notInFuture: (input: InputDefinition) => (input.kind === 'DATE' ? input.notInFuture : null),
  },
  ApplicationStepDefinition: {
    // The catalogue was validated at start: every step's participant is listed.
    participant: (step: StepDefinition, _: unknown, ctx: ApplicationsContext) => ctx.runtime.catalogue.participants.get(step.participant)!,
  },
};
