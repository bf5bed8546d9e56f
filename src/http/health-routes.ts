import type { KafkaStreams } from '../runtime/index.ts';
import { sendJson, type HttpRoute } from './route.ts';

/**
 * `/health` (liveness): 200 while the instance is alive — any state but ERROR, PENDING_ERROR and
 * NOT_RUNNING — else 503, so an orchestrator restarts a process whose streams died.
 * `/ready` (readiness): 200 only in RUNNING; otherwise 503 with the state, the reason and, while
 * tasks restore, each store's progress (`streams.restoreProgress()`).
 */
export function healthRoutes(streams: KafkaStreams): HttpRoute[] {
  return [
    {
      path: '/health',
      handle(_request, response) {
        const state = streams.state;
        const alive = state !== 'ERROR' && state !== 'PENDING_ERROR' && state !== 'NOT_RUNNING';
        sendJson(response, alive ? 200 : 503, { status: alive ? 'UP' : 'DOWN', state });
      },
    },
    {
      path: '/ready',
      handle(_request, response) {
        const state = streams.state;
        if (state === 'RUNNING') {
          sendJson(response, 200, { status: 'READY', state });
          return;
        }
        sendJson(response, 503, { status: 'NOT_READY', state, reason: notReadyReason(state), restore: streams.restoreProgress() });
      },
    },
  ];
}

function notReadyReason(state: string): string {
  switch (state) {
    case 'CREATED': return 'not started yet';
    case 'REBALANCING': return 'taking its tasks and restoring their stores';
    case 'PENDING_SHUTDOWN':
    case 'NOT_RUNNING': return 'shutting down or stopped';
    default: return 'processing failed; see the log';
  }
}
