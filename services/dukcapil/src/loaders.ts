import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { DukcapilSchema } from './db/schema';
import { findBirthCertificatesOfChildren } from './modules/birth-certificate/birth-certificate.repository';
import { findChildIdCardsByNik } from './modules/child-id-card/child-id-card.repository';
import { findCitizensByNik } from './modules/citizen/citizen.repository';
import { findFamilyCardsByNumber, findMembersOfFamilyCards } from './modules/family-card/family-card.repository';

/** Per-request batching: every NIK or KK number asked for in one request costs one query per relation. */
export function createLoaders(db: Database<DukcapilSchema>) {
  return {
    citizenByNik: oneByKeyLoader((niks) => findCitizensByNik(db, niks), (c) => c.nik),
    familyCardByNumber: oneByKeyLoader((numbers) => findFamilyCardsByNumber(db, numbers), (f) => f.number),
    familyMembersByCard: manyByKeyLoader((numbers) => findMembersOfFamilyCards(db, numbers), (c) => c.familyCardNumber),
    birthCertificateByChild: oneByKeyLoader((niks) => findBirthCertificatesOfChildren(db, niks), (b) => b.childNik!),
    childIdCardByNik: oneByKeyLoader((niks) => findChildIdCardsByNik(db, niks), (k) => k.nik),
  };
}

export type DukcapilLoaders = ReturnType<typeof createLoaders>;
