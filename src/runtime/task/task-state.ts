import { StreamsError } from '../../common/index.ts';

/**
 * The life of a task, as in Kafka Streams: built (CREATED), its stores brought up to date
 * (RESTORING), processing (RUNNING), handed back or paused with processors closed (SUSPENDED),
 * and finally CLOSED with its stores closed.
 */
export type TaskState = 'CREATED' | 'RESTORING' | 'RUNNING' | 'SUSPENDED' | 'CLOSED';

/**
 * The legal moves between states (Kafka's `Task.State`). A task is suspended before it is closed,
 * so closing always closes its processors first; a suspended task resumes through RESTORING.
 */
const legalTransitions: Readonly<{ [S in TaskState]: readonly TaskState[] }> = {
  CREATED: ['RESTORING', 'SUSPENDED'],
  RESTORING: ['RUNNING', 'SUSPENDED'],
  RUNNING: ['SUSPENDED'],
  SUSPENDED: ['RESTORING', 'CLOSED'],
  CLOSED: [],
};

/** True when a task may move from `from` to `to`. */
export function isLegalTransition(from: TaskState, to: TaskState): boolean {
  return legalTransitions[from].includes(to);
}

/** Throws ILLEGAL_STATE naming the task and both states when the move is not in the table. */
export function assertTransition(taskId: string, from: TaskState, to: TaskState): void {
  if (!isLegalTransition(from, to)) {
    const allowed = legalTransitions[from];
    throw new StreamsError(
      'ILLEGAL_STATE',
      `task ${taskId} cannot go from ${from} to ${to}; from ${from} it may only go to ${allowed.length === 0 ? 'nowhere (it is final)' : allowed.join(' or ')}`,
    );
  }
}
