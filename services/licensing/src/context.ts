import type { RequestContext } from '@simpul/service-kit';
import type { LicensingLoaders } from './loaders';

export interface LicensingContext extends RequestContext {
  loaders: LicensingLoaders;
}
