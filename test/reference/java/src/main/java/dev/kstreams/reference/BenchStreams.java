package dev.kstreams.reference;

import java.io.BufferedReader;
import java.io.FileReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The Kafka Streams side of bench/vs-kafka-streams.ts: the same workloads as kstreams
 * (bench/support/vs-kafka-streams-workloads.ts), in the TopologyTestDriver or against a broker.
 *
 *   driver <workload> <input file> <runs>   `runs` driver runs over the input after a warm-up
 *                                           (lines "topic\tkey\ttimestamp\tvalue"); prints
 *                                           {"runs": [{"seconds", "cpuSeconds", "outputs"}, ...]}
 *   kafka <workload> <bootstrap> <application id> <state dir> <input topics, comma separated>
 *                                           from RUNNING until every input record is committed;
 *                                           prints {"seconds", "cpuSeconds", "records"}
 */
public final class BenchStreams {
  static final String OUTPUT = "bench-out";
  static final Set<String> LONG_OUTPUTS = Set.of("wordcount", "tumbling", "hopping", "sliding", "session", "suppress");

  public static void main(String[] args) throws Exception {
    if (args[0].equals("driver")) driver(args[1], args[2], Integer.parseInt(args[3]));
    else kafka(args[1], args[2], args[3], args[4], Arrays.asList(args[5].split(",")));
  }

  static String inputTopic(String workload) {
    return "bench-" + workload + "-in";
  }

  static KStream<String, String> input(StreamsBuilder builder, String workload) {
    return builder.stream(inputTopic(workload), Consumed.with(Serdes.String(), Serdes.String()));
  }

  /** The workload's topology; it must match bench/support/vs-kafka-streams-workloads.ts operator for operator. */
  static Topology topology(String workload) {
    StreamsBuilder builder = new StreamsBuilder();
    String table = "bench-" + workload + "-table";
    String other = "bench-" + workload + "-other";
    switch (workload) {
      case "stateless" -> input(builder, workload)
          .filter((key, value) -> value.charAt(value.length() - 1) % 2 == 0)
          .mapValues(value -> value.toUpperCase(Locale.ROOT))
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
      case "wordcount" -> input(builder, workload)
          .flatMapValues(line -> Arrays.asList(line.split(" ")))
          .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
          .count(Materialized.as("counts"))
          .toStream()
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "tumbling" -> input(builder, workload).groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10)))
          .count(Materialized.as("tumbling-counts"))
          .toStream()
          .selectKey((windowed, count) -> windowed.key() + "@" + windowed.window().start())
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "hopping" -> input(builder, workload).groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(5), Duration.ofSeconds(10)).advanceBy(Duration.ofMinutes(1)))
          .count(Materialized.as("hopping-counts"))
          .toStream()
          .selectKey((windowed, count) -> windowed.key() + "@" + windowed.window().start())
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "sliding" -> input(builder, workload).groupByKey()
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(30), Duration.ofSeconds(10)))
          .count(Materialized.as("sliding-counts"))
          .toStream()
          .selectKey((windowed, count) -> windowed.key() + "@" + windowed.window().start())
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "session" -> input(builder, workload).groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(30), Duration.ofSeconds(10)))
          .count(Materialized.as("session-counts"))
          .toStream()
          .selectKey((windowed, count) -> windowed.key() + "@" + windowed.window().start() + "-" + windowed.window().end())
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "suppress" -> input(builder, workload).groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10)))
          .count(Materialized.as("suppress-counts"))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
          .toStream()
          .selectKey((windowed, count) -> windowed.key() + "@" + windowed.window().start())
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
      case "stream-table" -> {
        KTable<String, String> profiles = builder.table(table, Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("profiles"));
        input(builder, workload).join(profiles, (click, profile) -> click + "|" + profile)
            .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
      }
      case "stream-stream" -> {
        KStream<String, String> purchases = builder.stream(other, Consumed.with(Serdes.String(), Serdes.String()));
        input(builder, workload).join(purchases, (click, purchase) -> click + "|" + purchase, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(5)),
            StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
            .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
      }
      case "foreign-key" -> {
        KTable<String, String> products = builder.table(table, Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("products"));
        builder.table(inputTopic(workload), Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("orders"))
            .join(products, order -> order.substring(0, order.indexOf('|')), (order, product) -> order + "|" + product)
            .toStream()
            .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
      }
      default -> throw new IllegalArgumentException("unknown workload " + workload);
    }
    return builder.build();
  }

  record InputRecord(String topic, String key, long timestamp, String value) {}

  static List<InputRecord> read(String file) throws Exception {
    List<InputRecord> records = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new FileReader(file))) {
      for (String line; (line = reader.readLine()) != null; ) {
        String[] parts = line.split("\t", 4);
        records.add(new InputRecord(parts[0], parts[1], Long.parseLong(parts[2]), parts[3]));
      }
    }
    return records;
  }

  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  static Properties driverConfig() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    return props;
  }

  @SuppressWarnings("unchecked")
  static long runDriver(String workload, List<InputRecord> records) {
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(workload), driverConfig(), Instant.EPOCH)) {
      Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
      for (InputRecord record : records) {
        inputs.computeIfAbsent(record.topic(), topic -> driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.String().serializer()))
            .pipeInput(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp()));
      }
      Deserializer<?> chosen = LONG_OUTPUTS.contains(workload) ? Serdes.Long().deserializer() : Serdes.String().deserializer();
      Deserializer<Object> values = (Deserializer<Object>) chosen;
      TestOutputTopic<String, Object> output = driver.createOutputTopic(OUTPUT, Serdes.String().deserializer(), values);
      return output.readKeyValuesToList().size();
    }
  }

  static void driver(String workload, String file, int runs) throws Exception {
    List<InputRecord> records = read(file);
    runDriver(workload, records.subList(0, Math.min(5_000, records.size()))); // warm-up
    List<String> measured = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      long started = System.nanoTime();
      double cpu = cpuSeconds();
      long outputs = runDriver(workload, records);
      double seconds = (System.nanoTime() - started) / 1e9;
      measured.add(String.format(Locale.ROOT, "{\"seconds\": %.4f, \"cpuSeconds\": %.4f, \"outputs\": %d}", seconds, cpuSeconds() - cpu, outputs));
    }
    System.out.println("{\"runs\": [" + String.join(", ", measured) + "]}");
  }

  static void kafka(String workload, String bootstrap, String applicationId, String stateDir, List<String> topics) throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    KafkaStreams streams = new KafkaStreams(topology(workload), props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) running.countDown();
    });
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, Long> ends = endOffsets(admin, topics);
      streams.start();
      running.await();
      long started = System.nanoTime();
      double cpu = cpuSeconds();
      while (!consumed(admin, applicationId, ends)) Thread.sleep(20);
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuUsed = cpuSeconds() - cpu;
      streams.close(Duration.ofSeconds(30));
      long records = ends.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(Locale.ROOT, "{\"seconds\": %.4f, \"cpuSeconds\": %.4f, \"records\": %d}%n", seconds, cpuUsed, records);
    }
  }

  static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
        description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    return admin.listOffsets(request).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
  }

  static boolean consumed(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Set<TopicPartition> partitions = ends.keySet();
    return partitions.stream().allMatch(tp -> {
      OffsetAndMetadata offset = committed.get(tp);
      return ends.get(tp) == 0 || (offset != null && offset.offset() >= ends.get(tp));
    });
  }
}
