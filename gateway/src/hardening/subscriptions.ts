import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Where the status of an application streams instead (../live). */
export const LIVE_STATUS_STREAM = '/live/applications/<id>';

/**
 * The gateway executes queries and mutations only; without this a subscription (the supergraph
 * has no Subscription type, yet validation lets one through) fails inside execution as a 500.
 * It is the caller's mistake: 400 BAD_REQUEST, rule SUBSCRIPTIONS_NOT_SUPPORTED, pointing to the
 * live status stream, before any planning or subgraph call.
 */
export function subscriptionRefusalPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            `Subscriptions are not supported. An application's status changes stream as server-sent events from GET ${LIVE_STATUS_STREAM} (with the bearer token and x-simpul-purpose headers)`,
            { extensions: { code: 'BAD_REQUEST', rule: 'SUBSCRIPTIONS_NOT_SUPPORTED', http: { status: 400, headers: new HeaderMap() } } },
          );
        },
      };
    },
  };
}
