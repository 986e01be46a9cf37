import { useEffect } from 'react';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { LocalModelsSection } from './LocalModelsSection.tsx';
import { ModelCatalogSection } from './ModelCatalogSection.tsx';
import { OllamaSection } from './OllamaSection.tsx';
import { useModelsStore } from './modelsStore.ts';
import { PricingSection } from './PricingSection.tsx';
import { usePricingStore } from './pricingStore.ts';
import { PrivacyModeSwitch } from './PrivacyModeSwitch.tsx';
import { ProviderList } from './ProviderList.tsx';
import { useProvidersStore } from './providersStore.ts';
import { useRoutingStore } from './routingStore.ts';
import { RoutingSection } from './RoutingSection.tsx';
import './providers.css';

/** Model providers, their health and keys, routing per task, the local GGUF models, and the prices behind Usage's costs. */
export function ProvidersView() {
  useEffect(() => {
    void useProvidersStore.getState().load();
    void useRoutingStore.getState().load();
    void useModelsStore.getState().load();
    void usePricingStore.getState().load();
  }, []);

  return (
    <div className="view">
      <ViewHeader title="Providers">The models Service Creator may use to build your services, and which task goes where.</ViewHeader>
      <PrivacyModeSwitch />
      <ProviderList />
      <RoutingSection />
      <LocalModelsSection />
      <ModelCatalogSection />
      <OllamaSection />
      <PricingSection />
    </div>
  );
}
