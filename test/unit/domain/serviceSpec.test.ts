import { describe, expect, it } from 'vitest';
import { migrateSpec } from '../../../src-shared/domain/migrateSpec.ts';
import { checkSpec, emptySpec, serviceSpecSchema } from '../../../src-shared/domain/serviceSpec.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';

const complete = { ...vFirewallSpec, name: 'Edge' };

describe('ServiceSpec', () => {
  it('a complete spec is valid; a draft lists each missing field', () => {
    expect(serviceSpecSchema.safeParse(complete).success).toBe(true);
    const check = checkSpec(emptySpec('Edge'));
    expect(check.valid).toBe(false);
    expect(check.problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['serviceType', 'vendors', 'features', 'pricing', 'observability', 'target', 'deployment', 'testing']),
    );
    expect(check.problems[0]?.message).toBe('not answered yet');
  });

  it('checks consistency across fields', () => {
    const problems = checkSpec({ ...complete, serviceType: 'custom', target: { language: 'python', framework: 'express' }, vendorApi: undefined }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'customServiceType', message: 'describe the custom service' },
        { path: 'target.framework', message: expect.stringMatching(/express is not a python framework/) },
        { path: 'vendorApi', message: expect.stringMatching(/authenticates/) },
      ]),
    );
    expect(checkSpec({ ...complete, vendors: [], vendorApi: undefined }).valid).toBe(true);
  });

  it('round-trips through JSON unchanged', () => {
    expect(migrateSpec(JSON.parse(JSON.stringify(complete)))).toEqual({ spec: complete, dropped: [] });
  });

  it('upgrades a version 1 file', () => {
    const v1 = {
      specVersion: 1,
      name: 'Old',
      serviceType: 'vFirewall',
      vendors: ['Cisco ASA', 'FortiGate', 'Acme'],
      features: ['NAT'],
      auth: 'basic',
      pricing: 'flat',
      stack: 'node-express',
      logging: ['syslog'],
      metrics: 'none',
      deployment: ['docker'],
      tests: ['unit', 'mock'],
    };
    const { spec, migratedFrom } = migrateSpec(v1);
    expect(migratedFrom).toBe(1);
    expect(spec).toEqual({
      specVersion: 2,
      name: 'Old',
      serviceType: 'vFirewall',
      vendors: [
        { vendor: 'cisco', name: 'Cisco', products: ['Cisco ASA'] },
        { vendor: 'fortinet', name: 'Fortinet', products: ['Fortinet FortiGate'] },
        { vendor: 'other', name: 'Acme', products: [] },
      ],
      features: ['NAT'],
      vendorApi: { auth: 'basic' },
      pricing: { model: 'flat' },
      target: { language: 'typescript', framework: 'express' },
      observability: { logging: ['syslog'], metrics: 'none', tracing: false },
      deployment: { targets: ['docker'] },
      testing: { levels: ['unit'], mockVendorApis: true },
    });
    expect(checkSpec(spec).valid).toBe(true);
  });

  it('says what a version 1 file held that version 2 cannot take alone, instead of dropping it silently', () => {
    const { spec, dropped } = migrateSpec({ specVersion: 1, name: 'Half', logging: ['json-stdout'], tests: ['mock'] });
    expect(spec.observability).toBeUndefined();
    expect(spec.testing).toBeUndefined();
    expect(dropped).toEqual([
      'observability (logging json-stdout): version 2 needs logging and metrics together',
      'testing (mock): version 2 needs at least one kind of test besides mocks',
    ]);
    expect(migrateSpec({ specVersion: 1, metrics: 'prometheus', tracing: true }).dropped).toEqual([
      'observability (metrics prometheus; tracing true): version 2 needs logging and metrics together',
    ]);
  });

  it('refuses files from a newer version, without a version, or of the wrong shape, saying why', () => {
    expect(() => migrateSpec({ specVersion: 99 })).toThrow(/newer Service Creator \(spec version 99; this one reads up to 2\)/);
    expect(() => migrateSpec({ name: 'x' })).toThrow(/needs "specVersion"/);
    expect(() => migrateSpec([1])).toThrow(/one JSON object/);
    expect(() => migrateSpec({ specVersion: 1, vendors: 'Cisco' })).toThrow(/Not a valid version 1 spec: vendors/);
    expect(() => migrateSpec({ specVersion: 2, serviceType: 'vToaster' })).toThrow(/Not a valid spec: serviceType/);
  });
});
