import type { RequestContext } from '@simpul/service-kit';
import type { PoliceLoaders } from './loaders';

export interface PoliceContext extends RequestContext {
  loaders: PoliceLoaders;
}
