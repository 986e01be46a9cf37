import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as OTLP/HTTP JSON carries it, with its attributes made plain. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** The collector's base address (the exporter adds /v1/traces). */
  url: string;
  /** Every request's raw body, in order, whatever its path. */
  bodies: Buffer[];
  requests: { method: string; path: string; contentType: string | undefined }[];
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}

function plain(value: OtlpValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue ?? '';
}

/** A loopback OpenTelemetry collector: accepts POST /v1/traces (JSON) and keeps every byte it got. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: Buffer[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const read = (request: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks)));
      request.on('error', reject);
    });
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      bodies.push(body);
      requests.push({ method: request.method ?? '', path: request.url ?? '', contentType: request.headers['content-type'] });
      const ok = request.method === 'POST' && request.url === '/v1/traces';
      response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(ok ? '{}' : '{"error":"not here"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    requests,
    spans() {
      const spans: ReceivedSpan[] = [];
      for (const body of bodies) {
        const parsed = JSON.parse(body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
        for (const resource of parsed.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes: ReceivedSpan['attributes'] = {};
              for (const attribute of (span.attributes ?? []) as { key: string; value: OtlpValue }[]) attributes[attribute.key] = plain(attribute.value);
              const parent = span.parentSpanId as string | undefined;
              spans.push({
                traceId: String(span.traceId),
                spanId: String(span.spanId),
                parentSpanId: parent === undefined || parent === '' ? undefined : parent,
                name: String(span.name),
                startMs: Number(BigInt(String(span.startTimeUnixNano)) / 1_000_000n),
                endMs: Number(BigInt(String(span.endTimeUnixNano)) / 1_000_000n),
                attributes,
              });
            }
          }
        }
      }
      return spans;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
