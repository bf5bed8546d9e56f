import { StreamsError } from '../common/index.ts';

/** A serializer failure naming the serde, the topic and why. */
export function serializationError(serdeName: string, topic: string, reason: string, cause?: unknown): StreamsError {
  return new StreamsError('SERIALIZATION_ERROR', `${serdeName} could not serialize a value for topic "${topic}": ${reason}`, {
    cause,
    location: { topic },
  });
}

/** A deserializer failure naming the serde, the topic and why; the runtime adds partition and offset. */
export function deserializationError(serdeName: string, topic: string, reason: string, cause?: unknown): StreamsError {
  return new StreamsError(
    'DESERIALIZATION_ERROR',
    `${serdeName} could not deserialize bytes from topic "${topic}": ${reason}; check that the topic's producer uses the same format`,
    { cause, location: { topic } },
  );
}

/** The message of any thrown value, for error texts. */
export function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
