import { describe, expect, it } from 'vitest';
import { emptySpec, type SpecDraft } from '../../../src-shared/domain/serviceSpec.ts';
import { dependentsOf, remainingSlots, slotById, type SlotId } from '../../../src-shared/interview/interviewSlots.ts';

const apply = (id: SlotId, answer: { selected?: string[]; text?: string }, spec: SpecDraft = emptySpec('P'), shown: string[] = []) =>
  slotById(id).apply(spec, { selected: answer.selected ?? [], text: answer.text ?? '' }, shown);

describe('interview slots turn answers into spec values', () => {
  it('service type: an option, a typed synonym, a described custom service; vague text is refused', () => {
    expect(apply('serviceType', { selected: ['vVPN'] })).toMatchObject({ ok: true, spec: { serviceType: 'vVPN' } });
    expect(apply('serviceType', { text: 'load balancer' })).toMatchObject({ ok: true, spec: { serviceType: 'vLoadBalancer' } });
    expect(apply('serviceType', { selected: ['Custom service'], text: 'DNS filtering for branch offices' })).toMatchObject({
      ok: true,
      spec: { serviceType: 'custom', customServiceType: 'DNS filtering for branch offices' },
    });
    expect(apply('serviceType', { selected: ['Custom service'] })).toMatchObject({ ok: false, vague: expect.stringMatching(/Describe the custom service/) });
    expect(apply('serviceType', { text: 'idk' })).toMatchObject({ ok: false });
  });

  it('vendors: catalog products grouped by vendor, other vendors kept in the user words, "none" means standalone', () => {
    const result = apply('vendors', { selected: ['Cisco ASA'], text: 'FTD, pan-os, Acme Shield' });
    expect(result).toMatchObject({
      ok: true,
      spec: {
        vendors: [
          { vendor: 'cisco', name: 'Cisco', products: ['Cisco ASA', 'Cisco Secure Firewall (FTD)'] },
          { vendor: 'paloalto', products: ['Palo Alto PAN-OS (VM-Series)'] },
          { vendor: 'other', name: 'Acme Shield', products: [] },
        ],
      },
    });
    const standalone = apply('vendors', { selected: ['No vendor API (standalone service)'] }, { ...emptySpec('P'), vendorApi: { auth: 'basic' } });
    expect(standalone).toMatchObject({ ok: true, spec: { vendors: [] } });
    expect(standalone.ok && standalone.spec.vendorApi).toBe(undefined);
    expect(apply('vendors', { selected: ['No vendor API (standalone service)', 'Cisco ASA'] })).toMatchObject({ ok: false });
    expect(apply('vendors', {})).toMatchObject({ ok: false });
  });

  it('vendor API auth is only needed when there are vendors', () => {
    const ids = (spec: SpecDraft) => remainingSlots(spec).map((slot) => slot.id);
    expect(ids(emptySpec('P'))).toContain('vendorApi');
    expect(ids({ ...emptySpec('P'), vendors: [] })).not.toContain('vendorApi');
  });

  it('features: picked suggestions plus typed items, de-duplicated, vague ones dropped', () => {
    expect(apply('features', { selected: ['NAT', 'Audit log'], text: 'nat\n- rate limits; ?' }, emptySpec('P'), ['NAT', 'Audit log'])).toMatchObject({
      ok: true,
      spec: { features: ['NAT', 'Audit log', 'rate limits'] },
    });
    expect(apply('features', { text: 'whatever' })).toMatchObject({ ok: false });
  });

  it('observability, target, deployment, testing map options to values and ask again when unclear', () => {
    expect(apply('observability', { selected: ['Syslog', 'OpenTelemetry tracing'] })).toMatchObject({ ok: true, spec: { observability: { logging: ['syslog'], metrics: 'none', tracing: true } } });
    expect(apply('observability', { selected: ['Prometheus metrics', 'OpenTelemetry metrics', 'Syslog'] })).toMatchObject({ ok: false, vague: expect.stringMatching(/one metrics option/) });
    expect(apply('target', { selected: ['TypeScript / Fastify'] })).toMatchObject({ ok: true, spec: { target: { language: 'typescript', framework: 'fastify' } } });
    expect(apply('target', { text: 'python please' })).toMatchObject({ ok: false, vague: expect.stringMatching(/FastAPI \(recommended\) or Flask/) });
    expect(apply('deployment', { text: 'k8s and compose please' })).toMatchObject({ ok: true, spec: { deployment: { targets: ['compose', 'kubernetes'] } } });
    expect(apply('deployment', { text: 'anything but kubernetes' })).toMatchObject({ ok: false });
    expect(apply('deployment', { text: 'k8s, compose' })).toMatchObject({ ok: true, spec: { deployment: { targets: ['compose', 'kubernetes'] } } });
    expect(apply('testing', { selected: ['Unit tests'], text: 'coverage 90%' })).toMatchObject({ ok: true, spec: { testing: { levels: ['unit'], mockVendorApis: false, coverageTarget: 90 } } });
  });

  it('a pricing or auth answer with extra words keeps the words as notes, never a made-up value', () => {
    expect(apply('pricing', { selected: ['Per instance'], text: 'discount for MSPs' })).toMatchObject({ ok: true, spec: { pricing: { model: 'per-instance', notes: 'discount for MSPs' } } });
    expect(apply('vendorApi', { text: 'something secure' })).toMatchObject({ ok: false });
  });

  it('knows what builds on what', () => {
    expect(dependentsOf('serviceType').sort()).toEqual(['features', 'vendorApi', 'vendors']);
    expect(dependentsOf('vendors')).toEqual(['vendorApi']);
    expect(dependentsOf('pricing')).toEqual([]);
  });
});
