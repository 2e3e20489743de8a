import type { RequestContext } from '@simpul/service-kit';
import type { AgreementsService } from './modules/agreements/agreements.service';
import type { ParticipantsService } from './modules/participants/participants.service';

export interface ParticipantsContext extends RequestContext {
  participants: ParticipantsService;
  agreements: AgreementsService;
}
