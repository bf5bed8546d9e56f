package dev.kstreams.reference;

import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Prints the metrics Kafka Streams registers for one small topology (source, filter, count into a
 * cached in-memory store, sink) after three records, at the recording level given as the first
 * argument: one line per metric, {@code group<TAB>name<TAB>tag keys (sorted, comma-separated)<TAB>processor-node-id}
 * (empty when the metric has no such tag).
 * test/metrics/kafka-names.test.ts compares these with the metrics kstreams registers.
 */
public final class MetricNames {
  private MetricNames() {}

  public static void main(String[] args) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
        .filter((key, value) -> value != null)
        .groupByKey()
        .count(Materialized.as(org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore("counts")))
        .toStream()
        .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metric-names");
    props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, args.length > 0 ? args[0] : "INFO");
    TreeSet<String> lines = new TreeSet<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, String> words = driver.createInputTopic("words", new StringSerializer(), new StringSerializer());
      words.pipeInput("a", "x");
      words.pipeInput("b", "y");
      words.pipeInput("a", "z");
      for (Map.Entry<MetricName, ? extends Metric> entry : driver.metrics().entrySet()) {
        MetricName name = entry.getKey();
        String node = name.tags().getOrDefault("processor-node-id", "");
        lines.add(name.group() + "\t" + name.name() + "\t" + String.join(",", new TreeSet<>(name.tags().keySet())) + "\t" + node);
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) out.append(line).append('\n');
    System.out.print(out);
  }
}
