import type { KafkaStreams } from '../runtime/index.ts';
import { sendText, type HttpRoute } from './route.ts';

/**
 * `/topology`: the topology in Kafka Streams' describe() text (what topology visualizers read);
 * `/topology?format=mermaid` or `/topology/mermaid`: the same as a Mermaid flowchart.
 */
export function topologyRoutes(streams: KafkaStreams): HttpRoute[] {
  const mermaid = (): string => streams.topologyDescription().toMermaid();
  return [
    {
      path: '/topology',
      handle(_request, response, { url }) {
        const format = url.searchParams.get('format') ?? 'text';
        if (format === 'mermaid') sendText(response, 200, mermaid());
        else if (format === 'text') sendText(response, 200, streams.topologyDescription().toString());
        else sendText(response, 400, `unknown format "${format}"; use text or mermaid\n`);
      },
    },
    { path: '/topology/mermaid', handle: (_request, response) => sendText(response, 200, mermaid()) },
  ];
}
