import type { RequestContext } from '@simpul/service-kit';
import type { DukcapilLoaders } from './loaders';

export interface DukcapilContext extends RequestContext {
  loaders: DukcapilLoaders;
}
