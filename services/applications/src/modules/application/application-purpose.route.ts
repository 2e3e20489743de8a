import { parseUuid } from '@simpul/identifiers';
import {
  authenticateRouteRequest,
  PURPOSE_LOOKUP_CALLER,
  sendJson,
  type ApplicationPurposeFacts,
  type Database,
  type HttpRoute,
  type InternalContextVerifier,
  type Logger,
  requestUrl,
} from '@simpul/service-kit';
import type { ApplicationsSchema } from '../../db/schema';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';
import { isFinalTaskState } from '../task/task-progress';
import { findTasksOfApplications } from '../task/task.repository';
import { applicationCitizens } from './application-audit';
import type { CivilRegistry } from './civil-registry';
import { findApplicationsById } from './application.repository';

const PATH = /^\/purposes\/applications\/([^/]+)$/;

export interface ApplicationPurposeRouteOptions {
  db: Database<ApplicationsSchema>;
  catalogue: ServiceCatalogue;
  logger: Logger;
  /** With INTERNAL_CONTEXT_PUBLIC_KEY: only the gateway's own look-up context (PURPOSE_LOOKUP_CALLER) is served. */
  verifier?: InternalContextVerifier;
  /** Dukcapil through the gateway: the members of a family card the application names are parties too. */
  civilRegistry?: CivilRegistry;
}

/** What binding `application:<id>` needs of the application (see ApplicationPurposeFacts); undefined when there is none. */
export async function applicationPurposeFacts(
  db: Database<ApplicationsSchema>,
  catalogue: ServiceCatalogue,
  id: string,
  options: { civilRegistry?: CivilRegistry; logger?: Logger } = {},
): Promise<ApplicationPurposeFacts | undefined> {
  const [application] = await findApplicationsById(db, [id]);
  if (!application) return undefined;
  const tasks = await findTasksOfApplications(db, [id]);
  const type = catalogue.applicationTypes.get(application.type);
  const parties = applicationCitizens(type, application.applicantNik, application.inputs);
  // The members of a family card the application names (a newborn's siblings, a moving household),
  // as Dukcapil has them now: a child registered meanwhile is one of them. Unreadable, they are not
  // parties (fewer parties only refuse more).
  const cards = (type?.inputs ?? []).filter((input) => input.kind === 'KK_NUMBER').map((input) => application.inputs[input.name]).filter((value): value is string => typeof value === 'string');
  if (cards.length > 0 && options.civilRegistry) {
    try {
      for (const nik of await options.civilRegistry.familyMembers(cards)) if (!parties.includes(nik)) parties.push(nik);
    } catch (error) {
      options.logger?.warn({ err: error, applicationId: id }, 'family-card members unreadable: not counted as parties of the application');
    }
  }
  // A NIK a task issued (a newborn's), when the report carried it whole; the shared status topic carries them masked.
  for (const document of tasks.flatMap((task) => task.documents)) {
    if (document.kind === 'NIK' && /^\d{16}$/.test(document.number) && !parties.includes(document.number)) parties.push(document.number);
  }
  const open = tasks.length === 0 || tasks.some((task) => !isFinalTaskState(task.status));
  const closedAt = open ? null : new Date(Math.max(...tasks.map((task) => (task.completedAt ?? task.updatedAt).getTime()))).toISOString();
  return {
    id: application.id,
    status: application.status,
    closedAt,
    mppOffice: application.mppOffice,
    parties,
    participants: [...new Set(tasks.map((task) => task.participant))],
  };
}

/**
 * `GET /purposes/applications/<id>`: the facts the gateway binds an `application:<id>` purpose with
 * (gateway/src/subgraphs/application-purpose.ts): 200 `{ application: ApplicationPurposeFacts | null }`.
 * Only for the gateway's own look-up context when contexts are verified (401 without a valid one,
 * 403 for any other caller): the answer names the application's citizens.
 */
export function applicationPurposeRoute(options: ApplicationPurposeRouteOptions): HttpRoute {
  return async (req, res) => {
    // GET only: anything else is not this route (404).
    const match = req.method === 'GET' ? PATH.exec(requestUrl(req).pathname) : null;
    if (!match) return false;
    if (options.verifier) {
      let client: string;
      try {
        const caller = await authenticateRouteRequest(options.verifier, req, options.logger);
        client = caller.actorType === 'client' && caller.subject === PURPOSE_LOOKUP_CALLER.subject ? caller.client : '';
      } catch (error) {
        sendJson(res, 401, { errors: [{ message: error instanceof Error ? error.message : String(error), extensions: { code: 'UNAUTHENTICATED' } }] });
        return true;
      }
      if (client !== PURPOSE_LOOKUP_CALLER.client) {
        sendJson(res, 403, { errors: [{ message: 'Only the gateway looks up purposes', extensions: { code: 'FORBIDDEN' } }] });
        return true;
      }
    }
    const id = parseUuid(match[1]!, 'Application id');
    if (!id.ok) {
      sendJson(res, 400, { errors: [{ message: id.message, extensions: { code: 'BAD_USER_INPUT', rule: id.rule } }] });
      return true;
    }
    const facts = await applicationPurposeFacts(options.db, options.catalogue, id.value, { civilRegistry: options.civilRegistry, logger: options.logger });
    sendJson(res, 200, { application: facts ?? null });
    return true;
  };
}
