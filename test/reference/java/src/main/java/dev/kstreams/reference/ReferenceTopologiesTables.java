package dev.kstreams.reference;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;

/**
 * Source tables with and without a store, and what that changes downstream; the kstreams side is
 * test/reference/topologies-tables.ts (same names, topics and predicates).
 */
final class ReferenceTopologiesTables {
  private ReferenceTopologiesTables() {}

  private static KTable<String, String> table(StreamsBuilder builder, String topic) {
    return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static void toOut(KTable<String, String> result) {
    result.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  static final Map<String, Consumer<StreamsBuilder>> BUILDERS = Map.ofEntries(
      Map.entry("table-filter-unmaterialized", b -> toOut(table(b, "left").filter((k, v) -> !v.equals("l2")))),
      Map.entry("table-filter-materialized", b -> toOut(b.table("left", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("left-store"))
          .filter((k, v) -> !v.equals("l2")))),
      Map.entry("table-filter-read-by-join", b -> b.stream("right", Consumed.with(Serdes.String(), Serdes.String()))
          .leftJoin(table(b, "left").mapValues(v -> v + "!").filter((k, v) -> !v.equals("l2!")), (r, l) -> r + "+" + l)
          .to("out", Produced.with(Serdes.String(), Serdes.String()))),
      Map.entry("to-table-unread", b -> toOut(b.stream("left", Consumed.with(Serdes.String(), Serdes.String())).toTable()
          .filter((k, v) -> !v.equals("l2")))),
      Map.entry("table-suppress-time-limit", b -> toOut(table(b, "left")
          .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(5), Suppressed.BufferConfig.unbounded())))));
}
