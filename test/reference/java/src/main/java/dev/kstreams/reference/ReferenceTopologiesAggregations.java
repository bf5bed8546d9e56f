package dev.kstreams.reference;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.CogroupedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindowedKStream;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueMapper;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Aggregation topologies of the differential suite, as test/reference/topologies-aggregations.ts
 * builds them with kstreams (same names, topics, windows, aggregators): cogroups, windowed
 * reduce/aggregate with order-sensitive aggregators, re-keying before a reduce, a flatMap before a
 * stream-table join, and KTable chains into a grouped aggregation with a subtractor.
 */
final class ReferenceTopologiesAggregations {
  private ReferenceTopologiesAggregations() {}

  private static final Duration SIZE = Duration.ofSeconds(10);

  static final Map<String, Consumer<StreamsBuilder>> BUILDERS = Map.ofEntries(
      Map.entry("cogroup-aggregate", ReferenceTopologiesAggregations::cogroupAggregate),
      Map.entry("cogroup-tumbling", b -> cogroupWindowed(b, "tumbling")),
      Map.entry("cogroup-sliding", b -> cogroupWindowed(b, "sliding")),
      Map.entry("cogroup-session", b -> cogroupWindowed(b, "session")),
      Map.entry("hopping-reduce", b -> windowedConcat(b, "hopping", "reduce")),
      Map.entry("hopping-aggregate", b -> windowedConcat(b, "hopping", "aggregate")),
      Map.entry("sliding-reduce", b -> windowedConcat(b, "sliding", "reduce")),
      Map.entry("sliding-aggregate", b -> windowedConcat(b, "sliding", "aggregate")),
      Map.entry("session-reduce", b -> windowedConcat(b, "session", "reduce")),
      Map.entry("session-aggregate", b -> windowedConcat(b, "session", "aggregate")),
      Map.entry("hopping-uneven-aggregate", b -> windowedConcat(b, "hopping-uneven", "aggregate")),
      Map.entry("sliding-no-grace-aggregate", b -> windowedConcat(b, "sliding-no-grace", "aggregate")),
      Map.entry("session-no-grace-aggregate", b -> windowedConcat(b, "session-no-grace", "aggregate")),
      Map.entry("select-key-reduce", b -> rekeyReduce(b, "selectKey")),
      Map.entry("map-reduce", b -> rekeyReduce(b, "map")),
      Map.entry("flat-map-stream-table-left", ReferenceTopologiesAggregations::flatMapStreamTableLeft),
      Map.entry("table-chain-aggregate", b -> tableChainAggregate(b, false)),
      Map.entry("table-chain-materialized-aggregate", b -> tableChainAggregate(b, true)),
      Map.entry("table-chain-stream", b -> tableChainStream(b, false)),
      Map.entry("table-chain-materialized-stream", b -> tableChainStream(b, true)),
      Map.entry("table-reduce", ReferenceTopologiesAggregations::tableReduce),
      Map.entry("tumbling-count-uncached", b -> windowedCountUncached(b, "tumbling")),
      Map.entry("sliding-count-uncached", b -> windowedCountUncached(b, "sliding")));

  private static KStream<String, String> input(StreamsBuilder builder, String topic) {
    return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static KTable<String, String> table(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static String windowKey(Windowed<String> key) {
    return key.key() + "@" + key.window().start() + "/" + key.window().end();
  }

  private static void windowedOut(KTable<Windowed<String>, String> result) {
    result.toStream((key, value) -> windowKey(key)).to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static String merge(String key, String first, String second) {
    return first + "|" + second;
  }

  private static Materialized<String, String, KeyValueStore<Bytes, byte[]>> stored(String name) {
    return Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(name).withValueSerde(Serdes.String());
  }

  private static Materialized<String, String, WindowStore<Bytes, byte[]>> storedWindows(String name) {
    return Materialized.<String, String, WindowStore<Bytes, byte[]>>as(name).withValueSerde(Serdes.String());
  }

  private static Materialized<String, String, SessionStore<Bytes, byte[]>> storedSessions(String name) {
    return Materialized.<String, String, SessionStore<Bytes, byte[]>>as(name).withValueSerde(Serdes.String());
  }

  /** Two streams folded into one aggregate; the right one is re-grouped, so it goes through a repartition topic. */
  private static void cogroupAggregate(StreamsBuilder builder) {
    input(builder, "left").groupByKey()
        .<String>cogroup((key, value, aggregate) -> aggregate + "L" + value)
        .cogroup(input(builder, "right").groupBy((key, value) -> key, Grouped.with(Serdes.String(), Serdes.String())),
            (key, value, aggregate) -> aggregate + "R" + value)
        .aggregate(() -> "", stored("cogroup-store"))
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static void cogroupWindowed(StreamsBuilder builder, String kind) {
    CogroupedKStream<String, String> cogrouped = input(builder, "left").groupByKey()
        .<String>cogroup((key, value, aggregate) -> aggregate + "L" + value)
        .cogroup(input(builder, "right").groupByKey(), (key, value, aggregate) -> aggregate + "R" + value);
    windowedOut(switch (kind) {
      case "tumbling" -> cogrouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(5))).aggregate(() -> "", storedWindows("cogroup-windows"));
      case "sliding" -> cogrouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(3)))
          .aggregate(() -> "", storedWindows("cogroup-windows"));
      case "session" -> cogrouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2)))
          .aggregate(() -> "", ReferenceTopologiesAggregations::merge, storedSessions("cogroup-windows"));
      default -> throw new IllegalArgumentException(kind);
    });
  }

  /** Windows of the concatenating reduce/aggregate; "uneven" hops do not divide the size, "no-grace" closes on the boundary. */
  private static void windowedConcat(StreamsBuilder builder, String windows, String op) {
    KGroupedStream<String, String> stream = input(builder, "clicks").groupByKey();
    if (windows.startsWith("session")) {
      SessionWindowedKStream<String, String> sessions = stream.windowedBy(windows.equals("session")
          ? SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2))
          : SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(5)));
      windowedOut(op.equals("reduce")
          ? sessions.reduce((aggregate, value) -> aggregate + value, storedSessions("concat"))
          : sessions.aggregate(() -> "<", (key, value, aggregate) -> aggregate + value, ReferenceTopologiesAggregations::merge, storedSessions("concat")));
      return;
    }
    TimeWindowedKStream<String, String> timed = switch (windows) {
      case "hopping" -> stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(2)).advanceBy(Duration.ofSeconds(5)));
      case "hopping-uneven" -> stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(1)).advanceBy(Duration.ofSeconds(3)));
      case "sliding" -> stream.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(3)));
      case "sliding-no-grace" -> stream.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(5)));
      default -> throw new IllegalArgumentException(windows);
    };
    windowedOut(op.equals("reduce")
        ? timed.reduce((aggregate, value) -> aggregate + value, storedWindows("concat"))
        : timed.aggregate(() -> "<", (key, value, aggregate) -> aggregate + value, storedWindows("concat")));
  }

  /** Re-keyed by value (selectKey, or map that also rewrites the value), then reduced per new key. */
  private static void rekeyReduce(StreamsBuilder builder, String how) {
    KStream<String, String> clicks = input(builder, "clicks");
    KStream<String, String> rekeyed = how.equals("selectKey")
        ? clicks.selectKey((key, value) -> value)
        : clicks.map((key, value) -> KeyValue.pair(value, key + ":" + value));
    rekeyed.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .reduce((aggregate, value) -> aggregate + value, stored("rekeyed"))
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static final Map<String, String> NEXT_KEY = Map.of("a", "b", "b", "c", "c", "a");

  /** Each left record fans out to its own key and the next one, then meets the right table. */
  private static void flatMapStreamTableLeft(StreamsBuilder builder) {
    KTable<String, String> right = table(builder, "right");
    input(builder, "left")
        .flatMap((key, value) -> List.of(KeyValue.pair(key, value), KeyValue.pair(key == null ? "a" : NEXT_KEY.get(key), value + "*")))
        .leftJoin(right, (left, r) -> left + "+" + r)
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /** Regions without "apac" (filter), upper-cased, "latam" mapped to null (a delete), materialized or not. */
  private static KTable<String, String> regionChain(StreamsBuilder builder, boolean materialized) {
    KTable<String, String> regions = table(builder, "user-regions");
    KTable<String, String> kept = materialized
        ? regions.filter((user, region) -> !"apac".equals(region), stored("kept-regions"))
        : regions.filter((user, region) -> !"apac".equals(region));
    ValueMapper<String, String> upperOrNull = region -> region.equals("latam") ? null : region.toUpperCase();
    return materialized ? kept.mapValues(upperOrNull, stored("upper-regions")) : kept.mapValues(upperOrNull);
  }

  /** Users per region after the chain, with a subtractor. */
  private static void tableChainAggregate(StreamsBuilder builder, boolean materialized) {
    regionChain(builder, materialized)
        .groupBy((user, region) -> KeyValue.pair(region, user), Grouped.with(Serdes.String(), Serdes.String()))
        .aggregate(() -> "", (region, user, users) -> users + "+" + user, (region, user, users) -> users + "-" + user, stored("region-users"))
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /** The chain straight to a stream: which updates and deletes each step forwards. */
  private static void tableChainStream(StreamsBuilder builder, boolean materialized) {
    regionChain(builder, materialized).toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /** KGroupedTable.reduce: the users of each region, joined and left by adder and subtractor. */
  private static void tableReduce(StreamsBuilder builder) {
    table(builder, "user-regions")
        .groupBy((user, region) -> KeyValue.pair(region, user), Grouped.with(Serdes.String(), Serdes.String()))
        .reduce((users, user) -> users + "+" + user, (users, user) -> users + "-" + user, stored("region-users"))
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static void windowedCountUncached(StreamsBuilder builder, String kind) {
    KGroupedStream<String, String> stream = input(builder, "clicks").groupByKey();
    Materialized<String, Long, WindowStore<Bytes, byte[]>> store = Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("uncached-counts").withCachingDisabled();
    KTable<Windowed<String>, Long> counts = kind.equals("tumbling")
        ? stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofSeconds(5))).count(store)
        : stream.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(3))).count(store);
    counts.toStream((key, count) -> windowKey(key)).to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }
}
