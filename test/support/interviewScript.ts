import type { SlotId } from '../../src-shared/interview/interviewSlots.ts';

/** One scripted interview turn: what the fake model answers, and what the user then picks or types. */
export interface ScriptedTurn {
  turn: {
    field: SlotId;
    questionType: 'single' | 'multi' | 'free_text';
    question: string;
    explanation: string;
    options: string[];
    step: number;
    totalSteps: number;
    done: boolean;
  };
  answer: { selected: string[]; text: string };
}

const turn = (field: SlotId, step: number, questionType: ScriptedTurn['turn']['questionType'], question: string, options: string[]): ScriptedTurn['turn'] => ({
  field,
  questionType,
  question,
  explanation: `This decides the ${field} of the generated service.`,
  options,
  step,
  totalSteps: 9,
  done: false,
});

/**
 * A whole vFirewall interview in the default field order, as a model would write it and a user
 * would answer it. Shared by the unit, CLI and Chromium tests so they check the same spec.
 */
export const vFirewallInterview: ScriptedTurn[] = [
  {
    turn: turn('serviceType', 1, 'single', 'What kind of service do you need?', ['vFirewall', 'vRouter', 'vLoadBalancer', 'vVPN', 'Custom service']),
    answer: { selected: ['vFirewall'], text: '' },
  },
  {
    turn: turn('vendors', 2, 'multi', 'Which firewall products must it manage?', ['Cisco ASA', 'Palo Alto PAN-OS (VM-Series)', 'Fortinet FortiGate']),
    answer: { selected: ['Cisco ASA', 'Palo Alto PAN-OS (VM-Series)', 'Fortinet FortiGate'], text: '' },
  },
  {
    turn: turn('features', 3, 'multi', 'Which features should tenants get?', ['Firewall rule management', 'NAT policies', 'Tenant isolation', 'Audit log']),
    answer: { selected: ['Firewall rule management', 'NAT policies', 'Tenant isolation'], text: 'Scheduled config backups' },
  },
  { turn: turn('vendorApi', 4, 'single', 'How does the service sign in to the vendor APIs?', ['API key', 'OAuth 2.0 client credentials']), answer: { selected: ['API key'], text: '' } },
  { turn: turn('pricing', 5, 'single', 'How will you charge for it?', ['Per instance', 'Flat monthly fee']), answer: { selected: ['Per instance'], text: '' } },
  {
    turn: turn('observability', 6, 'multi', 'Where should logs and metrics go?', ['Structured JSON logs (stdout)', 'Prometheus metrics', 'Syslog']),
    answer: { selected: ['Structured JSON logs (stdout)', 'Prometheus metrics'], text: '' },
  },
  { turn: turn('target', 7, 'single', 'Which language and framework?', ['Python / FastAPI (recommended)', 'TypeScript / Express']), answer: { selected: ['Python / FastAPI (recommended)'], text: '' } },
  { turn: turn('deployment', 8, 'multi', 'How will it be deployed?', ['Docker image', 'Kubernetes manifests']), answer: { selected: ['Docker image', 'Kubernetes manifests'], text: '' } },
  {
    turn: turn('testing', 9, 'multi', 'Which tests must the project pass?', ['Unit tests', 'Integration tests', 'Mock the vendor APIs in tests']),
    answer: { selected: ['Unit tests', 'Integration tests', 'Mock the vendor APIs in tests'], text: '' },
  },
];

/** The spec the interview above must produce, field by field. */
export const vFirewallSpec = {
  specVersion: 2,
  serviceType: 'vFirewall',
  vendors: [
    { vendor: 'cisco', name: 'Cisco', products: ['Cisco ASA'] },
    { vendor: 'paloalto', name: 'Palo Alto Networks', products: ['Palo Alto PAN-OS (VM-Series)'] },
    { vendor: 'fortinet', name: 'Fortinet', products: ['Fortinet FortiGate'] },
  ],
  features: ['Firewall rule management', 'NAT policies', 'Tenant isolation', 'Scheduled config backups'],
  vendorApi: { auth: 'api-key' },
  pricing: { model: 'per-instance' },
  observability: { logging: ['json-stdout'], metrics: 'prometheus', tracing: false },
  target: { language: 'python', framework: 'fastapi' },
  deployment: { targets: ['docker', 'kubernetes'] },
  testing: { levels: ['unit', 'integration'], mockVendorApis: true },
};
