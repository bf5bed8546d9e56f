package dev.kstreams.reference;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs cases through Kafka Streams' TopologyTestDriver: reads {"cases": [{"topology", "records":
 * [{"topic", "key", "value", "timestamp"}]}]} from the first argument and writes {"results":
 * [{"records": [{"topic", "key", "value", "timestamp"}]} | {"error"}]} to the second, outputs in
 * the order each output topic received them (every reference topology has one output topic).
 */
public final class Differential {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * This JVM's own state directory: drivers of other runs on the machine (same application id)
   * would otherwise share /tmp/kafka-streams/reference and remove each other's stores.
   */
  private static String stateDir;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kstreams-differential-state-");
    stateDir = dir.toString();
    try {
      runAll(args);
    } finally {
      Utils.delete(dir.toFile());
    }
  }

  private static void runAll(String[] args) throws Exception {
    JsonNode input = JSON.readTree(new File(args[0]));
    ArrayNode results = JSON.createArrayNode();
    for (JsonNode testCase : input.get("cases")) {
      ObjectNode result = results.addObject();
      try {
        result.set("records", run(testCase.get("topology").asText(), testCase.get("records")));
      } catch (RuntimeException e) {
        result.put("error", e.toString());
      }
    }
    ObjectNode output = JSON.createObjectNode();
    output.set("results", results);
    JSON.writeValue(new File(args[1]), output);
  }

  private static Properties config() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reference");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    return props;
  }

  private static ArrayNode run(String topology, JsonNode records) {
    ArrayNode out = JSON.createArrayNode();
    try (TopologyTestDriver driver = new TopologyTestDriver(ReferenceTopologies.build(topology), config(), Instant.EPOCH)) {
      Map<String, TestInputTopic<String, String>> inputs = new java.util.HashMap<>();
      for (JsonNode record : records) {
        String topic = record.get("topic").asText();
        TestInputTopic<String, String> in = inputs.computeIfAbsent(topic,
            t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()));
        in.pipeInput(new TestRecord<>(text(record.get("key")), text(record.get("value")), Instant.ofEpochMilli(record.get("timestamp").asLong())));
      }
      for (Map.Entry<String, String> output : ReferenceTopologies.OUTPUT_TYPES.entrySet()) {
        Deserializer<?> values = output.getValue().equals("long") ? Serdes.Long().deserializer() : Serdes.String().deserializer();
        TestOutputTopic<String, ?> topic = driver.createOutputTopic(output.getKey(), Serdes.String().deserializer(), values);
        for (TestRecord<String, ?> record : topic.readRecordsToList()) {
          ObjectNode node = out.addObject();
          node.put("topic", output.getKey());
          node.put("key", record.key());
          node.putPOJO("value", record.value());
          node.put("timestamp", record.timestamp());
        }
      }
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
