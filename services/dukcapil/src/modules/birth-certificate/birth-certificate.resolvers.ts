import type { DukcapilContext } from '../../context';
import type { BirthCertificateRow } from '../../db/schema';

export const birthCertificateResolvers = {
  BirthCertificate: {
    fullName: (certificate: BirthCertificateRow) => certificate.childName,
    sex: (certificate: BirthCertificateRow) => certificate.childSex,
    birthDate: (certificate: BirthCertificateRow) => certificate.childBirthDate,
    mother: (certificate: BirthCertificateRow, _: unknown, ctx: DukcapilContext) => ctx.loaders.citizenByNik.load(certificate.motherNik),
    father: (certificate: BirthCertificateRow, _: unknown, ctx: DukcapilContext) => (certificate.fatherNik ? ctx.loaders.citizenByNik.load(certificate.fatherNik) : null),
  },
};
