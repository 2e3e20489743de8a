// @simpul/connector-sdk/testing: Simpul's side stood in for a participant's tests (a delivered task,
// the status endpoint) and its built connector run as a process, kept off the main entry.
export {
  deliverTask,
  startStatusEndpointStub,
  statusReportBodySchema,
  taskAssignedEvent,
  type AcceptedStatusReport,
  type DeliveredTask,
  type StatusEndpointStub,
} from './simpul-stand-ins';
export { assertBuilt, participantEntry, spawnParticipant, waitUntilReady, type ParticipantProcess } from './participant-process';
