import type { DukcapilContext } from '../../context';
import type { FamilyCardRow } from '../../db/schema';
import type { VerificationLedger } from '../verification/verification.service';
import type { CitizenRecord } from './citizen.repository';
import type { AccessGrantCheck } from '../verification/access-grants';
import { findCitizen, verifyCitizen, type CitizenClaims } from './citizen.service';

export function addressOf(card: FamilyCardRow) {
  return {
    street: card.street,
    rt: card.rt,
    rw: card.rw,
    village: card.village,
    district: { code: card.districtCode, name: card.districtName },
    regency: { code: card.regencyCode, name: card.regencyName },
    province: { code: card.provinceCode, name: card.provinceName },
    postalCode: card.postalCode,
  };
}

/** The client a request without a verified gateway context counts against (development without a key). */
const UNVERIFIED_CLIENT = 'unverified';

export const createCitizenResolvers = (ledger: VerificationLedger, grants?: AccessGrantCheck) => ({
  Query: {
    citizen: (_: unknown, args: { nik: string }, ctx: DukcapilContext) => findCitizen(ctx.loaders, args.nik),
    verifyCitizen: async (_: unknown, args: { nik: string; claims: CitizenClaims }, ctx: DukcapilContext) => {
      // Within the SDL's ceiling, a partner of the participant registry needs a grant for the claims it asks.
      await grants?.requireVerification(ctx.caller, Object.keys(args.claims).filter((claim) => args.claims[claim as keyof CitizenClaims] != null));
      return verifyCitizen(ctx.loaders, ledger, { clientId: ctx.caller?.client ?? UNVERIFIED_CLIENT, audit: ctx.audit }, args.nik, args.claims);
    },
  },
  Citizen: {
    __resolveReference: (ref: { nik: string }, ctx: DukcapilContext) => ctx.loaders.citizenByNik.load(ref.nik),
    address: (citizen: CitizenRecord) => addressOf(citizen.familyCard),
    familyCard: (citizen: CitizenRecord) => citizen.familyCard,
    birthCertificate: (citizen: CitizenRecord, _: unknown, ctx: DukcapilContext) => ctx.loaders.birthCertificateByChild.load(citizen.nik),
    childIdCard: (citizen: CitizenRecord, _: unknown, ctx: DukcapilContext) => ctx.loaders.childIdCardByNik.load(citizen.nik),
  },
});
