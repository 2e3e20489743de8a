import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { gatewayRequestDuration, gatewayRequests, operationLabel, secondsSince } from '@simpul/service-kit';

/**
 * Rate, errors and latency of the gateway's GraphQL operations, per operation name
 * (simpul_gateway_requests_total, simpul_gateway_request_duration_seconds). The outcome is `ok` or
 * the first error's code: partial data with a SUBGRAPH_TIMEOUT counts as that error.
 */
export function requestMetricsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      let operation = request.operationName;
      return {
        async didResolveOperation({ operationName }) {
          operation = operationName ?? operation;
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const code = errors?.[0]?.extensions?.code;
          const label = operationLabel(operation);
          gatewayRequests.inc({ operation: label, outcome: errors?.length ? (typeof code === 'string' ? code : 'ERROR') : 'ok' });
          gatewayRequestDuration.observe({ operation: label }, secondsSince(started));
        },
      };
    },
  };
}
