import { DEFAULT_TOPIC_CONFIG, toConfigEntries } from '../../log/index.ts';
import { ERROR_CODES } from '../../protocol/index.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import { NODE_ID } from '../broker-context.ts';
import type { ApiHandler } from './handler.ts';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
/** Kafka's ConfigSource values: set on the topic, or the default. */
const SOURCE_TOPIC = 1;
const SOURCE_DEFAULT = 5;
/** Kafka's ConfigType values (DescribeConfigs v3+). */
const TYPE_STRING = 2;
const TYPE_INT = 3;
const TYPE_LONG = 5;
const TYPE_LIST = 7;
const INT_KEYS = new Set(['segment.bytes', 'max.message.bytes', 'index.interval.bytes']);
const DEFAULTS = new Map(toConfigEntries(DEFAULT_TOPIC_CONFIG));

type Resource = { resourceType: number; resourceName: string; configurationKeys: string[] | null };

function configType(name: string): number {
  if (name === 'cleanup.policy') return TYPE_LIST;
  if (name === 'message.timestamp.type') return TYPE_STRING;
  return INT_KEYS.has(name) ? TYPE_INT : TYPE_LONG;
}

/**
 * DescribeConfigs: a topic's configuration, every key the engine knows (or those asked for), each
 * marked as set on the topic or default. The one broker has no describable settings of its own:
 * it answers with an empty list.
 */
export const handleDescribeConfigs: ApiHandler = async (context, request) => {
  const results = [];
  for (const resource of request['resources'] as Resource[]) {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    if (resource.resourceType === RESOURCE_BROKER && resource.resourceName === String(NODE_ID)) {
      results.push({ ...base, errorCode: ERROR_CODES.NONE, errorMessage: null, configs: [] });
      continue;
    }
    if (resource.resourceType !== RESOURCE_TOPIC) {
      const errorMessage = `kstreams broker describes topics (resource type 2) and broker ${NODE_ID}; not resource type ${resource.resourceType} "${resource.resourceName}"`;
      results.push({ ...base, errorCode: ERROR_CODES.INVALID_REQUEST, errorMessage, configs: [] });
      continue;
    }
    try {
      const { config } = await context.engine.describeTopic(resource.resourceName);
      const wanted = resource.configurationKeys === null ? undefined : new Set(resource.configurationKeys);
      const configs = toConfigEntries(config).filter(([name]) => wanted === undefined || wanted.has(name)).map(([name, value]) => {
        const isDefault = DEFAULTS.get(name) === value;
        const source = isDefault ? SOURCE_DEFAULT : SOURCE_TOPIC;
        return {
          name, value, readOnly: false, isDefault, configSource: source, isSensitive: false,
          synonyms: request['includeSynonyms'] === true ? [{ name, value, source }] : [],
          configType: configType(name), documentation: null,
        };
      });
      results.push({ ...base, errorCode: ERROR_CODES.NONE, errorMessage: null, configs });
    } catch (error) {
      const { code, message } = kafkaErrorOf(error);
      results.push({ ...base, errorCode: code, errorMessage: message, configs: [] });
    }
  }
  return { throttleTimeMs: 0, results };
};
