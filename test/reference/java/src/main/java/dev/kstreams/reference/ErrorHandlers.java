package dev.kstreams.reference;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Kafka Streams' exception handlers and dead-letter queue (KIP-1034) on one poison record of each
 * kind: orders (JSON) → mapValues(amount; throws on 13) → amounts (Long), the twin of
 * test/runtime/poison-orders.ts. Reads {"records": [{"key", "value", "timestamp", "headers": {k: v}}]}
 * from the first argument, pipes them through Kafka's TopologyTestDriver with
 * errors.dead.letter.queue.topic.name set and every handler resuming, and writes {"dlq": [{"key",
 * "value", "timestamp", "headers": [[k, v]]}], "amounts": [n]} to the second.
 */
public final class ErrorHandlers {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DLQ = "orders-dlq";

  /** Kafka has no resuming production handler: this one resumes with the built-in handlers' dead-letter record. */
  public static final class ResumingProductionHandler implements ProductionExceptionHandler {
    private String deadLetterQueueTopic;

    @Override
    public void configure(Map<String, ?> configs) {
      Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
      deadLetterQueueTopic = topic == null ? null : String.valueOf(topic);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      return Response.fail();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
      return Response.resume(ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(
          deadLetterQueueTopic, context.sourceRawKey(), context.sourceRawValue(), context, exception));
    }
  }

  public static void main(String[] args) throws Exception {
    Path stateDir = Files.createTempDirectory("kstreams-error-handlers-state-");
    try {
      JSON.writeValue(new File(args[1]), run(JSON.readTree(new File(args[0])).get("records"), stateDir.toString()));
    } finally {
      Utils.delete(stateDir.toFile());
    }
  }

  private static ObjectNode run(JsonNode records, String stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handlers");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ResumingProductionHandler.class);

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("orders", Consumed.with(Serdes.String(), jsonSerde()))
        .mapValues(order -> {
          JsonNode amount = order.get("amount");
          if (amount != null && amount.isInt() && amount.intValue() == 13) throw new IllegalArgumentException("13 is unlucky");
          return amount;
        })
        .to("amounts", Produced.with(Serdes.String(), Serdes.serdeFrom(longOnly(), (Deserializer<JsonNode>) (topic, data) -> null)));

    ObjectNode out = JSON.createObjectNode();
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.EPOCH)) {
      TestInputTopic<String, String> orders = driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
      for (JsonNode record : records) {
        RecordHeaders headers = new RecordHeaders();
        record.get("headers").fields().forEachRemaining(h -> headers.add(h.getKey(), h.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        orders.pipeInput(new TestRecord<>(record.get("key").asText(), record.get("value").asText(), headers, Instant.ofEpochMilli(record.get("timestamp").asLong())));
      }
      ArrayNode dlq = out.putArray("dlq");
      TestOutputTopic<String, String> dead = driver.createOutputTopic(DLQ, Serdes.String().deserializer(), Serdes.String().deserializer());
      for (TestRecord<String, String> record : dead.readRecordsToList()) {
        ObjectNode node = dlq.addObject();
        node.put("key", record.key());
        node.put("value", record.value());
        node.put("timestamp", record.timestamp());
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
          ArrayNode pair = headers.addArray();
          pair.add(header.key());
          if (header.value() == null) pair.addNull();
          else pair.add(new String(header.value(), StandardCharsets.UTF_8));
        }
      }
      ArrayNode amounts = out.putArray("amounts");
      TestOutputTopic<String, Long> sums = driver.createOutputTopic("amounts", Serdes.String().deserializer(), Serdes.Long().deserializer());
      for (Long amount : sums.readValuesToList()) amounts.add(amount);
    }
    return out;
  }

  /** JSON values; bytes that are not JSON fail to deserialize. */
  private static Serde<JsonNode> jsonSerde() {
    Serializer<JsonNode> serializer = (topic, node) -> node == null ? null : node.toString().getBytes(StandardCharsets.UTF_8);
    Deserializer<JsonNode> deserializer = (topic, data) -> {
      try {
        return data == null ? null : JSON.readTree(data);
      } catch (java.io.IOException e) {
        throw new SerializationException("not valid JSON", e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** Amounts as Longs; anything but a number fails to serialize. */
  private static Serializer<JsonNode> longOnly() {
    LongSerializer longs = new LongSerializer();
    return (topic, amount) -> {
      if (amount == null || !amount.isNumber()) throw new SerializationException("expected a number, got " + amount);
      return longs.serialize(topic, amount.longValue());
    };
  }
}
