package dev.kstreams.reference;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;

/**
 * Prints {@code topology.describe()} of small topologies that exercise naming and materialization
 * rules: source tables with and without readers, anonymous {@code Materialized.with}, KTable
 * filter/mapValues materialized or not, joins. test/reference/describe-topologies.ts builds the
 * same ones with kstreams; test/reference/describe.test.ts compares the texts.
 *
 * <p>Usage: {@code DescribeTopologies name...}; each description is printed after a line
 * {@code ### name}.
 */
public final class DescribeTopologies {
  private DescribeTopologies() {}

  public static void main(String[] args) {
    StringBuilder out = new StringBuilder();
    for (String name : args) {
      Consumer<StreamsBuilder> topology = TOPOLOGIES.get(name);
      if (topology == null) throw new IllegalArgumentException("unknown topology " + name);
      StreamsBuilder builder = new StreamsBuilder();
      topology.accept(builder);
      out.append("### ").append(name).append('\n').append(builder.build().describe().toString());
    }
    System.out.print(out);
    System.out.flush();
  }

  private static KStream<String, String> stream(StreamsBuilder builder, String topic) {
    return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static KTable<String, String> table(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static void toOut(KTable<String, String> table) {
    table.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static final Map<String, Consumer<StreamsBuilder>> TOPOLOGIES = Map.ofEntries(
      Map.entry("table-unread", b -> toOut(table(b, "in"))),
      Map.entry("table-named", b -> toOut(b.table("in", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("in-store")))),
      Map.entry("table-anonymous", b -> toOut(b.table("in", Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String())))),
      Map.entry("table-consumed-named", b -> toOut(b.table("in", Consumed.with(Serdes.String(), Serdes.String()).withName("users")))),
      Map.entry("table-filter", b -> toOut(table(b, "in").filter((k, v) -> v.length() > 1))),
      Map.entry("table-filter-named", b -> toOut(table(b, "in").filter((k, v) -> v.length() > 1, Materialized.as("filtered")))),
      Map.entry("table-filter-anonymous", b -> toOut(table(b, "in")
          .filter((k, v) -> v.length() > 1, Materialized.with(Serdes.String(), Serdes.String()))
          .mapValues(v -> v + "!"))),
      Map.entry("table-mapvalues-named", b -> toOut(table(b, "in").mapValues(v -> v + "!", Materialized.as("mapped")))),
      Map.entry("stream-table-join", b -> stream(b, "clicks")
          .join(table(b, "users"), (click, user) -> click + user)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("stream-table-join-filtered", b -> stream(b, "clicks")
          .leftJoin(table(b, "users").filter((k, v) -> !v.isEmpty()), (click, user) -> click + user)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("table-table-join", b -> toOut(table(b, "left").join(table(b, "right"), (l, r) -> l + r))),
      Map.entry("table-table-left-anonymous", b -> toOut(table(b, "left")
          .leftJoin(table(b, "right"), (l, r) -> l + r, Materialized.with(Serdes.String(), Serdes.String())))),
      Map.entry("table-groupby-count", b -> table(b, "in")
          .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with(Serdes.String(), Serdes.String()))
          .count()
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("table-suppress", b -> toOut(table(b, "in")
          .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(10), Suppressed.BufferConfig.unbounded())))),
      Map.entry("count-anonymous", b -> stream(b, "in")
          .mapValues(v -> v + "!")
          .groupByKey()
          .count(Materialized.with(Serdes.String(), Serdes.Long()))
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("reduce-anonymous", b -> toOut(stream(b, "in")
          .groupByKey()
          .reduce((a, v) -> a + v, Materialized.with(Serdes.String(), Serdes.String())))),
      Map.entry("aggregate-anonymous", b -> stream(b, "in")
          .groupBy((k, v) -> v, Grouped.with(Serdes.String(), Serdes.String()))
          .aggregate(() -> 0L, (k, v, sum) -> sum + v.length(), Materialized.with(Serdes.String(), Serdes.Long()))
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("count-filter", b -> stream(b, "in")
          .groupByKey()
          .count()
          .filter((k, count) -> count > 1)
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("stream-to-table", b -> toOut(stream(b, "in").toTable())),
      Map.entry("stream-to-table-repartition", b -> toOut(stream(b, "in").selectKey((k, v) -> v).toTable(Materialized.with(Serdes.String(), Serdes.String())))),
      Map.entry("stream-table-join-repartition", b -> stream(b, "clicks").selectKey((k, v) -> v)
          .leftJoin(table(b, "users"), (click, user) -> click + user)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("stream-stream-join-repartition", b -> stream(b, "clicks").selectKey((k, v) -> v)
          .join(stream(b, "views"), (click, view) -> click + view, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(5)),
              StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("stream-to-table-join", b -> stream(b, "clicks")
          .join(stream(b, "users").toTable(), (click, user) -> click + user)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("table-table-outer-named", b -> toOut(table(b, "left")
          .outerJoin(table(b, "right"), (l, r) -> l + r, Named.as("pair")))),
      Map.entry("windowed-count-anonymous", b -> stream(b, "in")
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)))
          .count(Materialized.with(Serdes.String(), Serdes.Long()))
          .toStream((k, v) -> k.key())
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("sliding-count-anonymous", b -> stream(b, "in")
          .groupByKey()
          .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(10)))
          .count(Materialized.with(Serdes.String(), Serdes.Long()))
          .toStream((k, v) -> k.key())
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("session-count-anonymous", b -> stream(b, "in")
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(10)))
          .count(Materialized.with(Serdes.String(), Serdes.Long()))
          .toStream((k, v) -> k.key())
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("global-table-named", b -> stream(b, "clicks")
          .join(b.globalTable("users", Consumed.with(Serdes.String(), Serdes.String()).withName("users")), (k, v) -> k, (click, user) -> click + user)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("named-stream-steps", b -> {
        KStream<String, String> in = b.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("src"));
        in.filter((k, v) -> v.length() > 1, Named.as("long"))
            .mapValues(v -> v + "!", Named.as("shout"))
            .merge(in, Named.as("both"))
            .groupByKey()
            .count(Named.as("cnt"))
            .toStream(Named.as("changes"))
            .to("counts", Produced.<String, Long>as("out-sink").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
      }),
      Map.entry("named-table-steps", b -> table(b, "in")
          .filter((k, v) -> v.length() > 1, Named.as("long"))
          .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.<String, String>as("by-value").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
          .count(Named.as("cnt"))
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))),
      Map.entry("fk-join", b -> toOut(table(b, "orders").join(table(b, "customers"), v -> v, (o, c) -> o + c))),
      Map.entry("fk-left-join-materialized", b -> toOut(table(b, "orders")
          .leftJoin(table(b, "customers"), v -> v, (o, c) -> o + c, Materialized.as("enriched")))),
      Map.entry("fk-join-named", b -> toOut(table(b, "orders")
          .join(table(b, "customers"), v -> v, (o, c) -> o + c, TableJoined.as("enrich")))),
      Map.entry("fk-left-join-anonymous", b -> toOut(table(b, "orders")
          .leftJoin(table(b, "customers"), v -> v, (o, c) -> o + c, Materialized.with(Serdes.String(), Serdes.String())))),
      Map.entry("fk-join-then-count", b -> table(b, "orders")
          .join(table(b, "customers"), v -> v, (o, c) -> o + c)
          .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with(Serdes.String(), Serdes.String()))
          .count()
          .toStream()
          .to("counts", Produced.with(Serdes.String(), Serdes.Long()))));
}
