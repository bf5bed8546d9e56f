package dev.kstreams.reference;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reference topologies about tables, joins and null keys, written the way a Kafka Streams user
 * would; test/reference/topologies-tables.ts builds the same ones with kstreams (same names,
 * topics and joiners).
 */
final class ReferenceTopologiesJoins {
  private ReferenceTopologiesJoins() {}

  static final Map<String, Consumer<StreamsBuilder>> BUILDERS = Map.ofEntries(
      Map.entry("fk-inner-changes", b -> foreignKeyChanges(b, "inner", true)),
      Map.entry("fk-left-changes", b -> foreignKeyChanges(b, "left", true)),
      Map.entry("fk-inner-uncached", b -> foreignKeyChanges(b, "inner", false)),
      Map.entry("fk-left-uncached", b -> foreignKeyChanges(b, "left", false)),
      Map.entry("fk-left-groupby-count", ReferenceTopologiesJoins::foreignKeyGroupByCount),
      Map.entry("split-merge-repartition", ReferenceTopologiesJoins::splitMergeRepartition),
      Map.entry("global-join-inner", b -> globalJoin(b, "inner")),
      Map.entry("global-join-left", b -> globalJoin(b, "left")),
      Map.entry("selectkey-table-inner", b -> selectKeyTableJoin(b, "inner")),
      Map.entry("selectkey-table-left", b -> selectKeyTableJoin(b, "left")),
      Map.entry("selectkey-stream-left", ReferenceTopologiesJoins::selectKeyStreamLeftJoin),
      Map.entry("suppressed-table-join", b -> suppressedTableJoin(b, "left")),
      Map.entry("table-join-suppressed", b -> suppressedTableJoin(b, "right")),
      Map.entry("suppressed-table-groupby", ReferenceTopologiesJoins::suppressedTableGroupBy),
      Map.entry("table-groupby-null", ReferenceTopologiesJoins::tableGroupByNull));

  private static KStream<String, String> input(StreamsBuilder builder, String topic) {
    return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static KTable<String, String> table(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static KTable<String, String> uncachedTable(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()),
        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(topic + "-store").withCachingDisabled());
  }

  private static String joined(String left, String right) {
    return left + "+" + right;
  }

  private static void toOut(KStream<String, String> stream) {
    stream.to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /**
   * Orders "product|quantity" joined to the product they name; "-|q" names none. Uncached, the
   * tables forward every update, a delete of a product that never existed too.
   */
  private static void foreignKeyChanges(StreamsBuilder builder, String kind, boolean cached) {
    KTable<String, String> orders = cached ? table(builder, "orders") : uncachedTable(builder, "orders");
    KTable<String, String> products = cached ? table(builder, "products") : uncachedTable(builder, "products");
    Function<String, String> product = order -> {
      String name = order.split("\\|")[0];
      return name.equals("-") ? null : name;
    };
    KTable<String, String> out = kind.equals("inner")
        ? orders.join(products, product, ReferenceTopologiesJoins::joined)
        : orders.leftJoin(products, product, ReferenceTopologiesJoins::joined);
    toOut(out.toStream());
  }

  /**
   * An unmaterialized left foreign-key join regrouped by the product's name and counted: the
   * regrouping needs the join result's old values, so the result gets a store.
   */
  private static void foreignKeyGroupByCount(StreamsBuilder builder) {
    KTable<String, String> orders = uncachedTable(builder, "orders");
    KTable<String, String> products = uncachedTable(builder, "products");
    Function<String, String> product = order -> {
      String name = order.split("\\|")[0];
      return name.equals("-") ? null : name;
    };
    toOut(orders.leftJoin(products, product, ReferenceTopologiesJoins::joined)
        .groupBy((key, value) -> KeyValue.pair(value.substring(value.indexOf('+') + 1), key), Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>with(Serdes.String(), Serdes.Long()).withCachingDisabled())
        .toStream()
        .mapValues(count -> Long.toString(count)));
  }

  /** Split by value, one branch upper-cased, merged back, re-keyed (some keys become null), repartitioned. */
  private static void splitMergeRepartition(StreamsBuilder builder) {
    Map<String, KStream<String, String>> branches = input(builder, "events").split()
        .branch((key, value) -> value != null && value.startsWith("x"), Branched.as("x"))
        .defaultBranch(Branched.as("rest"));
    KStream<String, String> xs = null;
    KStream<String, String> rest = null;
    for (Map.Entry<String, KStream<String, String>> branch : branches.entrySet()) {
      if (branch.getKey().endsWith("x")) xs = branch.getValue().mapValues(value -> value.toUpperCase());
      else rest = branch.getValue();
    }
    KStream<String, String> rekeyed = xs.merge(rest)
        .selectKey((key, value) -> value == null ? key : value.contains("n") ? null : value.substring(value.length() - 1));
    toOut(rekeyed.repartition());
  }

  /** Each event with the global row its value names ("g…"), or its key's row for value "k". */
  private static void globalJoin(StreamsBuilder builder, String kind) {
    GlobalKTable<String, String> globals = builder.globalTable("globals", Consumed.with(Serdes.String(), Serdes.String()));
    KStream<String, String> events = input(builder, "events");
    KeyValueMapper<String, String, String> mapper = (key, value) -> value == null ? null : value.equals("k") ? key : value;
    toOut(kind.equals("inner")
        ? events.join(globals, mapper, ReferenceTopologiesJoins::joined)
        : events.leftJoin(globals, mapper, ReferenceTopologiesJoins::joined));
  }

  /** A stream re-keyed by its value's first letter ("n…" gives a null key), then joined to a table. */
  private static void selectKeyTableJoin(StreamsBuilder builder, String kind) {
    KTable<String, String> right = table(builder, "right");
    KStream<String, String> left = input(builder, "left")
        .selectKey((key, value) -> value == null ? key : value.startsWith("n") ? null : value.substring(0, 1));
    toOut(kind.equals("inner") ? left.join(right, ReferenceTopologiesJoins::joined) : left.leftJoin(right, ReferenceTopologiesJoins::joined));
  }

  /** A stream re-keyed as above, left-joined to another stream within 5 s (grace 2 s). */
  private static void selectKeyStreamLeftJoin(StreamsBuilder builder) {
    KStream<String, String> right = input(builder, "right");
    KStream<String, String> left = input(builder, "left")
        .selectKey((key, value) -> value == null ? key : value.startsWith("n") ? null : value.substring(0, 1));
    toOut(left.leftJoin(right, ReferenceTopologiesJoins::joined, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2)),
        StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String())));
  }

  /** A table whose updates are held 3 s by suppress, joined to a plain table (from either side). */
  private static void suppressedTableJoin(StreamsBuilder builder, String suppressedSide) {
    KTable<String, String> suppressed = table(builder, "left")
        .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(3), Suppressed.BufferConfig.unbounded()));
    KTable<String, String> plain = table(builder, "right");
    KTable<String, String> out = suppressedSide.equals("left")
        ? suppressed.join(plain, ReferenceTopologiesJoins::joined)
        : plain.leftJoin(suppressed, ReferenceTopologiesJoins::joined);
    toOut(out.toStream());
  }

  /** Rows per value of a suppressed table: the subtractor gets the old value each emitted change carries. */
  private static void suppressedTableGroupBy(StreamsBuilder builder) {
    table(builder, "left")
        .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(5), Suppressed.BufferConfig.unbounded()))
        .groupBy((key, value) -> KeyValue.pair(value, key))
        .count(Materialized.as("suppressed-groups"))
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  /** Users per region; region "none" maps to no pair and "nokey" to a null key: both skipped. */
  private static void tableGroupByNull(StreamsBuilder builder) {
    table(builder, "user-regions")
        .groupBy((user, region) -> region.equals("none") ? null : KeyValue.pair(region.equals("nokey") ? null : region, user))
        .count(Materialized.as("regions-count"))
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }
}
