import type { RequestContext } from '@simpul/service-kit';
import type { ApplicationsLoaders } from './loaders';

export interface ApplicationsContext extends RequestContext {
  loaders: ApplicationsLoaders;
}
