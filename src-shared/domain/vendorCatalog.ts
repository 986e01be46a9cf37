import type { ServiceType, VendorId } from './serviceSpec.ts';

export interface CatalogProduct {
  vendor: Exclude<VendorId, 'other'>;
  /** How the product is shown and stored ("Cisco ASA"). */
  label: string;
  /** The product's management API, shown as a hint next to the choice. */
  api: string;
  /** Service types the product is usually bought for, so the interview offers what fits. */
  serves: readonly ServiceType[];
  /** Other ways users name it (matched without case, spaces or punctuation). */
  aliases: readonly string[];
}

export const vendorNames: Record<VendorId, string> = {
  cisco: 'Cisco',
  paloalto: 'Palo Alto Networks',
  fortinet: 'Fortinet',
  f5: 'F5',
  juniper: 'Juniper',
  checkpoint: 'Check Point',
  other: 'Other',
};

/** Products the interview knows by name. Anything else is kept as an `other` vendor in the user's words. */
export const vendorCatalog: readonly CatalogProduct[] = [
  { vendor: 'cisco', label: 'Cisco ASA', api: 'ASA REST API', serves: ['vFirewall', 'vVPN'], aliases: ['asa', 'asav', 'adaptive security appliance'] },
  { vendor: 'cisco', label: 'Cisco Secure Firewall (FTD)', api: 'FMC / FDM REST API', serves: ['vFirewall', 'vVPN'], aliases: ['ftd', 'firepower', 'fmc', 'cisco ftd', 'secure firewall'] },
  { vendor: 'cisco', label: 'Cisco Catalyst 8000V (CSR)', api: 'RESTCONF / NETCONF', serves: ['vRouter', 'vVPN'], aliases: ['csr', 'csr1000v', 'csr 1000v', 'catalyst 8000v', 'c8000v', 'cisco csr'] },
  { vendor: 'cisco', label: 'Cisco Meraki MX', api: 'Meraki Dashboard API', serves: ['vFirewall', 'vRouter', 'vVPN'], aliases: ['meraki', 'meraki mx', 'cisco meraki'] },
  { vendor: 'paloalto', label: 'Palo Alto PAN-OS (VM-Series)', api: 'PAN-OS XML and REST API', serves: ['vFirewall', 'vVPN'], aliases: ['panos', 'pan-os', 'palo alto', 'vm-series', 'palo alto networks', 'pan os'] },
  { vendor: 'paloalto', label: 'Palo Alto Panorama', api: 'Panorama XML and REST API', serves: ['vFirewall'], aliases: ['panorama'] },
  { vendor: 'fortinet', label: 'Fortinet FortiGate', api: 'FortiOS REST API', serves: ['vFirewall', 'vVPN', 'vRouter'], aliases: ['fortigate', 'fortios', 'fortinet', 'fortigate-vm'] },
  { vendor: 'fortinet', label: 'Fortinet FortiManager', api: 'FortiManager JSON-RPC API', serves: ['vFirewall'], aliases: ['fortimanager'] },
  { vendor: 'f5', label: 'F5 BIG-IP LTM', api: 'iControl REST', serves: ['vLoadBalancer'], aliases: ['big-ip', 'bigip', 'ltm', 'f5', 'big ip'] },
  { vendor: 'f5', label: 'F5 BIG-IP AFM', api: 'iControl REST', serves: ['vFirewall'], aliases: ['afm'] },
  { vendor: 'juniper', label: 'Juniper vSRX', api: 'Junos REST API / NETCONF', serves: ['vFirewall', 'vRouter', 'vVPN'], aliases: ['srx', 'vsrx', 'juniper', 'junos'] },
  { vendor: 'checkpoint', label: 'Check Point CloudGuard', api: 'Check Point Management API', serves: ['vFirewall', 'vVPN'], aliases: ['checkpoint', 'check point', 'cloudguard'] },
];

/** Lower-case letters and digits only, so "PAN-OS", "pan os" and "PanOS" compare equal. */
export function normalizeName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The catalog product a name refers to, by label or alias. */
export function findProduct(name: string): CatalogProduct | undefined {
  const key = normalizeName(name);
  if (key === '') return undefined;
  return vendorCatalog.find((product) => normalizeName(product.label) === key || product.aliases.some((alias) => normalizeName(alias) === key));
}

/** Products to offer for a service type: those made for it first, then the rest. */
export function productsFor(serviceType: ServiceType | undefined): CatalogProduct[] {
  if (!serviceType || serviceType === 'custom') return [...vendorCatalog];
  const fitting = vendorCatalog.filter((product) => product.serves.includes(serviceType));
  return fitting.length > 0 ? fitting : [...vendorCatalog];
}
