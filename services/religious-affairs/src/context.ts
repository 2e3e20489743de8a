import type { RequestContext } from '@simpul/service-kit';
import type { ReligiousAffairsLoaders } from './loaders';

export interface ReligiousAffairsContext extends RequestContext {
  loaders: ReligiousAffairsLoaders;
}
