import type { RequestContext } from '@simpul/service-kit';
import type { ImmigrationLoaders } from './loaders';

export interface ImmigrationContext extends RequestContext {
  loaders: ImmigrationLoaders;
}
