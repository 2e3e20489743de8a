import { parseTaskInputs, type ApprovalReadback, type TaskDecision, type TaskClock } from '@simpul/events';
import { isoDateInput, nikInput } from '@simpul/identifiers';
import { z } from 'zod';
import { movingCertificates } from '../../db/schema';
import { addressOfFamilyCard, isSameAddress, readAddress } from '../family-card/family-card-address';
import { findMembersOfFamilyCards, updateFamilyCard } from '../family-card/family-card.repository';
import { leaveFamilyCards, startFamilyCard } from '../family-card/family-card.service';
import { issueMovingCertificateNumber } from '../registry-numbers/registry-numbers';
import { changesOf, NEW_FAMILY_CARD_FIELDS, reportReads, reportRegistrationCheck } from '../task/task-audit';
import type { DukcapilTaskHandler } from '../task/task-handler';
import { findCitizenForUpdate, findCitizensByNik, updateCitizen } from './citizen.repository';
import { notRegisteredAlive } from './citizen.service';

const verifyIdentityInputs = z.object({ applicantNik: nikInput });
const moveResidenceInputs = z.object({ applicantNik: nikInput, newAddress: z.string().trim().min(1).max(200), movingDate: isoDateInput });

const rejected = (reason: string): TaskDecision => ({ status: 'REJECTED', reason });

export function createCitizenTaskHandlers(clock: TaskClock): Record<'VERIFY_IDENTITY' | 'MOVE_RESIDENCE', DukcapilTaskHandler> {
  return {
    /** The applicant is a registered, living resident (for the agencies that act on their NIK next). */
    async VERIFY_IDENTITY(task, tx, audit) {
      const { applicantNik } = parseTaskInputs(task, verifyIdentityInputs);
      const [citizen] = await findCitizensByNik(tx, [applicantNik]);
      reportRegistrationCheck(audit, applicantNik, citizen);
      const problem = notRegisteredAlive(citizen, 'the applicant');
      if (problem) return rejected(problem);
      return { status: 'APPROVED', note: 'Identity verified: the NIK is registered to a living resident.' };
    },

    /**
     * Records the applicant's move and issues the SKPWNI. Alone on their family card, the card moves
     * with them (reissued at the new address); otherwise they leave it for a new card of their own there.
     */
    async MOVE_RESIDENCE(task, tx, audit) {
      const inputs = parseTaskInputs(task, moveResidenceInputs);
      const citizen = await findCitizenForUpdate(tx, inputs.applicantNik);
      reportRegistrationCheck(audit, inputs.applicantNik, citizen);
      const problem = notRegisteredAlive(citizen, 'the applicant');
      if (problem || !citizen) return rejected(problem!);
      const reading = readAddress(inputs.newAddress);
      if (!reading.ok) return rejected(reading.reason);
      const origin = citizen.familyCard;
      reportReads(audit, citizen.nik, ['Citizen.address', 'Citizen.familyCard']);
      if (isSameAddress(addressOfFamilyCard(origin), reading.address)) {
        return rejected('The applicant is already registered at that address: nothing to move.');
      }

      const today = clock.today();
      const household = await findMembersOfFamilyCards(tx, [origin.number]);
      reportReads(audit, citizen.nik, ['FamilyCard.members']);
      for (const member of household) if (member.nik !== citizen.nik) reportReads(audit, member.nik, ['FamilyMember.nik']);
      // The SKPWNI is not in the SDL: the move shows as the address (and card) it changes.
      let destination = origin.number;
      if (household.some((member) => member.nik !== citizen.nik && !member.diedOn)) {
        await audit.recordChanges(
          changesOf(citizen.nik, ['Citizen.address', 'Citizen.familyCard', 'FamilyMember.relationship', ...NEW_FAMILY_CARD_FIELDS]),
        );
        await leaveFamilyCards(tx, [citizen], today, audit);
        destination = await startFamilyCard(tx, { headNik: citizen.nik, address: reading.address, issuedOn: today });
        await updateCitizen(tx, citizen.nik, { familyCardNumber: destination, familyRelationship: 'HEAD' });
      } else {
        // The card moves with the applicant, and with any deceased members still on it.
        await audit.recordChanges(household.flatMap((member) => changesOf(member.nik, ['Citizen.address', 'FamilyCard.address', 'FamilyCard.issuedOn'])));
        await updateFamilyCard(tx, origin.number, { ...reading.address, issuedOn: today });
      }
      const certificate = await issueMovingCertificateNumber(tx, { regencyCode: origin.regencyCode, issuedOn: today });
      await tx.insert(movingCertificates).values({
        number: certificate,
        nik: citizen.nik,
        fromFamilyCardNumber: origin.number,
        toFamilyCardNumber: destination,
        newAddress: inputs.newAddress,
        movingDate: inputs.movingDate,
        issuedOn: today,
      });
      // The note goes out on the shared status topic: it names no address (the counter reads it in the graph).
      return {
        status: 'APPROVED',
        documents: [
          { kind: 'MOVING_CERTIFICATE', number: certificate },
          { kind: 'FAMILY_CARD', number: destination },
        ],
        note: `Moved to the new address; ${destination === origin.number ? 'family card reissued there' : 'new family card issued there'}.`,
      };
    },
  };
}

/** What a stored approval answers again: VERIFY_IDENTITY that the NIK is registered; MOVE_RESIDENCE the card and the new address. */
export const citizenTaskReadbacks: Record<'VERIFY_IDENTITY' | 'MOVE_RESIDENCE', ApprovalReadback> = {
  VERIFY_IDENTITY(task, _approval, audit) {
    reportReads(audit, parseTaskInputs(task, verifyIdentityInputs).applicantNik, ['Citizen.nik']);
  },
  MOVE_RESIDENCE(task, _approval, audit) {
    reportReads(audit, parseTaskInputs(task, moveResidenceInputs).applicantNik, ['Citizen.familyCard', 'Citizen.address']);
  },
};
