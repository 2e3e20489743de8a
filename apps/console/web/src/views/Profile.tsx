import type { ReactNode } from 'react';
import type { GraphQLError } from '../api';
import type { UnifiedProfileQuery } from '../gql/graphql';
import { useI18n, type TextKey } from '../i18n';
import { navigate } from '../router';

type Citizen = NonNullable<UnifiedProfileQuery['citizen']>;

/** The profile's sections, one per institution: the subgraph that owns its fields, and those fields. */
const SECTIONS: { service: string; title: TextKey; unavailable: TextKey; fields: string[] }[] = [
  { service: 'dukcapil', title: 'sectionDukcapil', unavailable: 'unavailableDukcapil', fields: ['fullName', 'address', 'familyCard', 'birthPlace', 'birthDate', 'sex', 'maritalStatus', 'occupation', 'diedOn'] },
  { service: 'licensing', title: 'sectionLicensing', unavailable: 'unavailableLicensing', fields: ['businesses'] },
  { service: 'tax', title: 'sectionTax', unavailable: 'unavailableTax', fields: ['npwp', 'propertyTaxBills'] },
  { service: 'immigration', title: 'sectionImmigration', unavailable: 'unavailableImmigration', fields: ['passports'] },
  { service: 'police', title: 'sectionPolice', unavailable: 'unavailablePolice', fields: ['drivingLicences', 'vehicles'] },
  { service: 'religious-affairs', title: 'sectionReligiousAffairs', unavailable: 'unavailableReligiousAffairs', fields: ['marriages'] },
  { service: 'applications', title: 'sectionApplications', unavailable: 'unavailableApplications', fields: ['applications'] },
];

/** The error that costs a section its data: its subgraph down or slow, or a field refused. */
function sectionFailure(section: (typeof SECTIONS)[number], errors: GraphQLError[]): 'unavailable' | 'forbidden' | undefined {
  const mine = errors.filter((e) => e.extensions?.serviceName === section.service || (typeof e.path?.[1] === 'string' && section.fields.includes(e.path[1])));
  if (mine.some((e) => e.extensions?.code?.startsWith('SUBGRAPH_') || e.extensions?.serviceName === section.service)) return 'unavailable';
  if (mine.some((e) => e.extensions?.code === 'FORBIDDEN')) return 'forbidden';
  return mine.length > 0 ? 'unavailable' : undefined;
}

function Section({ section, errors, children }: { section: (typeof SECTIONS)[number]; errors: GraphQLError[]; children: ReactNode }) {
  const i18n = useI18n();
  const failure = sectionFailure(section, errors);
  const headingId = `section-${section.service}`;
  return (
    <section className="card section" aria-labelledby={headingId} data-service={section.service} data-state={failure ?? 'ok'}>
      <h2 id={headingId}>{i18n.t(section.title)}</h2>
      {failure === 'unavailable' && (
        <p className="error" role="status">
          {i18n.t(section.unavailable)}
        </p>
      )}
      {failure === 'forbidden' && <p className="warning">{i18n.t('forbiddenSection')}</p>}
      {!failure && children}
    </section>
  );
}

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="rows">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function List<T>({ items, render }: { items: readonly T[] | null | undefined; render(item: T): ReactNode }) {
  const i18n = useI18n();
  if (!items || items.length === 0) return <p className="muted">{i18n.t('none')}</p>;
  return <ul className="items">{items.map((item, i) => <li key={i}>{render(item)}</li>)}</ul>;
}

export function Profile({ citizen, errors, onOpenCitizen }: { citizen: Citizen; errors: GraphQLError[]; onOpenCitizen(nik: string): void }) {
  const i18n = useI18n();
  const [dukcapil, licensing, tax, immigration, police, religiousAffairs, applications] = SECTIONS as [
    (typeof SECTIONS)[number], (typeof SECTIONS)[number], (typeof SECTIONS)[number], (typeof SECTIONS)[number], (typeof SECTIONS)[number], (typeof SECTIONS)[number], (typeof SECTIONS)[number],
  ];
  const address = citizen.address;
  return (
    <div className="profile" aria-live="polite">
      <Section section={dukcapil} errors={errors}>
        <Rows
          rows={[
            [i18n.t('nik'), citizen.nik],
            [i18n.t('fullName'), citizen.fullName],
            [i18n.t('birth'), `${citizen.birthPlace}, ${i18n.date(citizen.birthDate)}`],
            [i18n.t('sex'), i18n.value(citizen.sex)],
            [i18n.t('maritalStatus'), i18n.value(citizen.maritalStatus)],
            [i18n.t('occupation'), citizen.occupation],
            [i18n.t('address'), address ? `${address.street} RT ${address.rt}/RW ${address.rw}, ${address.village}, ${address.district.name}, ${address.regency.name}, ${address.province.name}` : '—'],
            [i18n.t('familyCard'), citizen.familyCard?.number ?? '—'],
          ]}
        />
        {citizen.familyCard && (
          <>
            <h3>{i18n.t('family')}</h3>
            <ul className="items">
              {citizen.familyCard.members.map((member) => (
                <li key={member.nik}>
                  {member.nik === citizen.nik ? (
                    <strong>{member.fullName}</strong>
                  ) : (
                    <button type="button" className="link" onClick={() => onOpenCitizen(member.nik)}>
                      {member.fullName}
                    </button>
                  )}{' '}
                  — {i18n.value(member.relationship)} ({member.nik})
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      <Section section={licensing} errors={errors}>
        <List items={citizen.businesses} render={(b) => `${b.name} — NIB ${b.nib}, KBLI ${b.kbli}, ${i18n.value(b.status)}`} />
      </Section>
      <Section section={tax} errors={errors}>
        <Rows rows={[[i18n.t('npwp'), citizen.npwp ?? i18n.t('none')]]} />
        <h3>{i18n.t('propertyTax')}</h3>
        <List items={citizen.propertyTaxBills} render={(b) => `NOP ${b.nop} · ${b.year} · Rp${b.amount.toLocaleString('id-ID')} · ${i18n.value(b.status)}`} />
      </Section>
      <Section section={immigration} errors={errors}>
        <List items={citizen.passports} render={(p) => `${p.number} · ${i18n.value(p.status)} · ${i18n.date(p.expiresOn)}`} />
      </Section>
      <Section section={police} errors={errors}>
        <h3>{i18n.t('drivingLicences')}</h3>
        <List items={citizen.drivingLicences} render={(d) => `SIM ${d.class} ${d.number} · ${i18n.date(d.expiresOn)}`} />
        <h3>{i18n.t('vehicles')}</h3>
        <List items={citizen.vehicles} render={(v) => `${v.plateNumber} · ${v.brand} ${v.model} · STNK ${i18n.date(v.stnkExpiresOn)}`} />
      </Section>
      <Section section={religiousAffairs} errors={errors}>
        <List items={citizen.marriages} render={(m) => `${i18n.date(m.registeredAt)} · ${m.kuaOffice}${m.spouse ? ` · ${m.spouse.fullName}` : ''}`} />
      </Section>
      <Section section={applications} errors={errors}>
        <ApplicationList items={citizen.applications} />
      </Section>
    </div>
  );
}

export function ApplicationList({ items }: { items: readonly { id: string; type: string; status: string; submittedAt: string; slaBreached: boolean }[] | null | undefined }) {
  const i18n = useI18n();
  return (
    <List
      items={items}
      render={(a) => (
        <a href={`/console/permohonan/${a.id}`} onClick={(e) => { e.preventDefault(); navigate(`permohonan/${a.id}`); }}>
          {a.type} · {i18n.value(a.status)} · {i18n.date(a.submittedAt)}
          {a.slaBreached && <span className="badge danger"> {i18n.t('slaBreached')}</span>}
        </a>
      )}
    />
  );
}
