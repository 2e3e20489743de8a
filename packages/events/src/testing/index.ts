// @simpul/events/testing: the transport contract every EventTransport passes, for tests only.
export { transportContractCases, type TransportContractCase, type TransportContractContext } from './transport-contract';
