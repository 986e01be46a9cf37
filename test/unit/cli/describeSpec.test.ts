import { describe, expect, it } from 'vitest';
import { describeSpec } from '../../../src-main/cli/describeSpec.ts';
import type { SpecDraft } from '../../../src-shared/domain/serviceSpec.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';

describe('the spec summary of interview and spec show', () => {
  it('is in words: the labels the interview offered, never the codes the spec stores', () => {
    const lines = describeSpec({
      ...(vFirewallSpec as SpecDraft),
      vendorApi: { auth: 'api-key' },
      pricing: { model: 'per-instance', notes: 'discount for MSPs' },
      observability: { logging: ['json-stdout'], metrics: 'none', tracing: true },
      target: { language: 'python', framework: 'fastapi' },
      deployment: { targets: ['docker', 'kubernetes'] },
      testing: { levels: ['unit', 'integration'], mockVendorApis: true, coverageTarget: 85 },
    });
    expect(lines).toContain('Service type: vFirewall (firewall as a service)');
    expect(lines).toContain('Vendor API authentication: API key');
    expect(lines).toContain('Pricing model: Per instance (discount for MSPs)');
    expect(lines).toContain('Logging and monitoring: Structured JSON logs (stdout), No metrics, OpenTelemetry tracing');
    expect(lines).toContain('Language and framework: Python / FastAPI');
    expect(lines).toContain('Deployment: Docker image, Kubernetes manifests');
    expect(lines).toContain('Testing: Unit tests, Integration tests, Mock the vendor APIs in tests, Coverage of at least 85%');
    const text = lines.join('\n');
    for (const code of ['api-key', 'per-instance', 'json-stdout', 'kubernetes,', 'fastapi', 'python /']) expect(text).not.toContain(code);
  });
});
