package dev.kstreams.reference;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;

/**
 * The reference topologies, written the way a Kafka Streams user would. test/reference/topologies.ts
 * builds the same ones with kstreams; keep the two files in step (same names, topics, windows).
 * Keys and input values are strings; every output topic's value type is in {@link #OUTPUT_TYPES}.
 */
final class ReferenceTopologies {
  private ReferenceTopologies() {}

  /** Output topic to its value type: "long" or "string". */
  static final Map<String, String> OUTPUT_TYPES = Map.of("counts", "long", "sums", "long", "out", "string");

  private static final Duration SIZE = Duration.ofSeconds(10);

  static Topology build(String name) {
    StreamsBuilder builder = new StreamsBuilder();
    BUILDERS.getOrDefault(name, b -> {
      throw new IllegalArgumentException("unknown reference topology " + name);
    }).accept(builder);
    return builder.build();
  }

  private static final Map<String, Consumer<StreamsBuilder>> BUILDERS = withAll(ReferenceTopologiesTables.BUILDERS, ReferenceTopologiesWindows.BUILDERS, ReferenceTopologiesAggregations.BUILDERS, ReferenceTopologiesJoins.BUILDERS,
      Map.ofEntries(
      Map.entry("word-count", ReferenceTopologies::wordCount),
      Map.entry("aggregate-uncached", ReferenceTopologies::aggregateUncached),
      Map.entry("table-aggregate", ReferenceTopologies::tableAggregate),
      Map.entry("tumbling-count", b -> windowedCount(b, "tumbling")),
      Map.entry("hopping-count", b -> windowedCount(b, "hopping")),
      Map.entry("sliding-count", b -> windowedCount(b, "sliding")),
      Map.entry("session-count", b -> windowedCount(b, "session")),
      Map.entry("suppressed-count", ReferenceTopologies::suppressedCount),
      Map.entry("tumbling-final", b -> finalCount(b, "tumbling")),
      Map.entry("session-final", b -> finalCount(b, "session")),
      Map.entry("stream-stream-inner", b -> streamStreamJoin(b, "inner")),
      Map.entry("stream-stream-left", b -> streamStreamJoin(b, "left")),
      Map.entry("stream-stream-outer", b -> streamStreamJoin(b, "outer")),
      Map.entry("stream-table-inner", b -> streamTableJoin(b, "inner")),
      Map.entry("stream-table-left", b -> streamTableJoin(b, "left")),
      Map.entry("table-table-inner", b -> tableTableJoin(b, "inner")),
      Map.entry("table-table-left", b -> tableTableJoin(b, "left")),
      Map.entry("table-table-outer", b -> tableTableJoin(b, "outer")),
      Map.entry("foreign-key-inner", b -> foreignKeyJoin(b, "inner")),
      Map.entry("foreign-key-left", b -> foreignKeyJoin(b, "left"))));

  /** The topologies above plus those of the other files (a name defined twice is an error). */
  @SafeVarargs
  private static Map<String, Consumer<StreamsBuilder>> withAll(Map<String, Consumer<StreamsBuilder>>... maps) {
    Map<String, Consumer<StreamsBuilder>> all = new java.util.HashMap<>();
    for (Map<String, Consumer<StreamsBuilder>> map : maps) {
      map.forEach((name, topology) -> {
        if (all.put(name, topology) != null) throw new IllegalStateException("reference topology defined twice: " + name);
      });
    }
    return Map.copyOf(all);
  }

  private static KStream<String, String> input(StreamsBuilder builder, String topic) {
    return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static KTable<String, String> table(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static String joined(String left, String right) {
    return left + "+" + right;
  }

  private static void wordCount(StreamsBuilder builder) {
    input(builder, "lines")
        .flatMapValues(line -> Arrays.stream(line.toLowerCase().split("\\W+")).filter(w -> !w.isEmpty()).collect(Collectors.toList()))
        .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("word-counts"))
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  private static void aggregateUncached(StreamsBuilder builder) {
    input(builder, "amounts")
        .groupByKey()
        .aggregate(() -> 0L, (key, amount, sum) -> sum + Long.parseLong(amount),
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("sums-store").withValueSerde(Serdes.Long()).withCachingDisabled())
        .toStream()
        .to("sums", Produced.with(Serdes.String(), Serdes.Long()));
  }

  /** Users per region from a table of user to region: the subtractor removes a user's old region. */
  private static void tableAggregate(StreamsBuilder builder) {
    table(builder, "user-regions")
        .groupBy((user, region) -> KeyValue.pair(region, user), Grouped.with(Serdes.String(), Serdes.String()))
        .aggregate(() -> "", (region, user, users) -> users + "+" + user, (region, user, users) -> users + "-" + user,
            Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("region-users").withValueSerde(Serdes.String()).withCachingDisabled())
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static String windowKey(Windowed<String> key) {
    return key.key() + "@" + key.window().start() + "/" + key.window().end();
  }

  private static void windowedCount(StreamsBuilder builder, String kind) {
    var grouped = input(builder, "clicks").groupByKey();
    KTable<Windowed<String>, Long> counts = switch (kind) {
      case "tumbling" -> grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(5))).count();
      case "hopping" -> grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(2)).advanceBy(Duration.ofSeconds(5))).count();
      case "sliding" -> grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(3))).count();
      case "session" -> grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2))).count();
      default -> throw new IllegalArgumentException(kind);
    };
    counts.toStream((key, count) -> windowKey(key)).to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  private static void suppressedCount(StreamsBuilder builder) {
    input(builder, "clicks")
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(5)))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream((key, count) -> windowKey(key))
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  /** Counts emitted once per window, when it closes (EmitStrategy.onWindowClose). */
  private static void finalCount(StreamsBuilder builder, String kind) {
    var grouped = input(builder, "clicks").groupByKey();
    KTable<Windowed<String>, Long> counts = kind.equals("tumbling")
        ? grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(2))).emitStrategy(EmitStrategy.onWindowClose()).count()
        : grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(5))).emitStrategy(EmitStrategy.onWindowClose())
            // Retention set: see "Emit on window close" in docs/kafka-streams-differences.md.
            .count(Materialized.<String, Long, SessionStore<Bytes, byte[]>>as("final-sessions").withRetention(Duration.ofMinutes(1)));
    counts.toStream((key, count) -> windowKey(key)).to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  private static void streamStreamJoin(StreamsBuilder builder, String kind) {
    KStream<String, String> left = input(builder, "left");
    KStream<String, String> right = input(builder, "right");
    JoinWindows window = JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2));
    StreamJoined<String, String, String> serdes = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
    KStream<String, String> out = switch (kind) {
      case "inner" -> left.join(right, ReferenceTopologies::joined, window, serdes);
      case "left" -> left.leftJoin(right, ReferenceTopologies::joined, window, serdes);
      case "outer" -> left.outerJoin(right, ReferenceTopologies::joined, window, serdes);
      default -> throw new IllegalArgumentException(kind);
    };
    out.to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static void streamTableJoin(StreamsBuilder builder, String kind) {
    KStream<String, String> left = input(builder, "left");
    KTable<String, String> right = table(builder, "right");
    KStream<String, String> out = kind.equals("inner") ? left.join(right, ReferenceTopologies::joined) : left.leftJoin(right, ReferenceTopologies::joined);
    out.to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static void tableTableJoin(StreamsBuilder builder, String kind) {
    KTable<String, String> left = table(builder, "left");
    KTable<String, String> right = table(builder, "right");
    KTable<String, String> out = switch (kind) {
      case "inner" -> left.join(right, ReferenceTopologies::joined);
      case "left" -> left.leftJoin(right, ReferenceTopologies::joined);
      case "outer" -> left.outerJoin(right, ReferenceTopologies::joined);
      default -> throw new IllegalArgumentException(kind);
    };
    out.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /** Orders ("product|quantity") joined to the product they name. */
  private static void foreignKeyJoin(StreamsBuilder builder, String kind) {
    KTable<String, String> orders = table(builder, "orders");
    KTable<String, String> products = table(builder, "products");
    java.util.function.Function<String, String> product = order -> order.split("\\|")[0];
    KTable<String, String> out = kind.equals("inner")
        ? orders.join(products, product, ReferenceTopologies::joined)
        : orders.leftJoin(products, product, ReferenceTopologies::joined);
    out.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  static List<String> names() {
    return BUILDERS.keySet().stream().sorted().toList();
  }
}
