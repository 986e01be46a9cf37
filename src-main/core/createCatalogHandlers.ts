import type { ModelCatalogService } from '../providers/catalog/ModelCatalogService.ts';
import type { Handlers } from './Handlers.ts';

/** The model catalogue with fit for this machine. */
export function createCatalogHandlers(catalogue: ModelCatalogService): Pick<Handlers, 'models.catalog'> {
  return {
    'models.catalog': (input) => catalogue.catalog({ refresh: input?.refresh === true }),
  };
}
