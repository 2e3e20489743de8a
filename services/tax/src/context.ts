import type { RequestContext } from '@simpul/service-kit';
import type { TaxLoaders } from './loaders';

export interface TaxContext extends RequestContext {
  loaders: TaxLoaders;
}
