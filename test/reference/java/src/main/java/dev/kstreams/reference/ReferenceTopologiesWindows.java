package dev.kstreams.reference;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
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
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Reference topologies for windows, suppression and stream-stream joins, as
 * test/reference/topologies-windows.ts builds them with kstreams; keep the two files in step.
 */
final class ReferenceTopologiesWindows {
  private ReferenceTopologiesWindows() {}

  /** Retention set on emit-on-window-close stores: see "Emit on window close" in docs/kafka-streams-differences.md. */
  private static final Duration FINAL_RETENTION = Duration.ofMinutes(10);

  static final Map<String, Consumer<StreamsBuilder>> BUILDERS = Map.ofEntries(
      Map.entry("join-inner-looks-back", b -> asymmetricJoin(b, "inner", looksBack())),
      Map.entry("join-left-looks-back", b -> asymmetricJoin(b, "left", looksBack())),
      Map.entry("join-outer-looks-back", b -> asymmetricJoin(b, "outer", looksBack())),
      Map.entry("join-left-looks-ahead", b -> asymmetricJoin(b, "left", looksAhead())),
      Map.entry("join-outer-looks-ahead", b -> asymmetricJoin(b, "outer", looksAhead())),
      Map.entry("suppress-limit-unbounded", b -> limitedCount(b, Duration.ofSeconds(5), BufferConfig.unbounded())),
      Map.entry("suppress-limit-max-records", b -> limitedCount(b, Duration.ofSeconds(10), BufferConfig.maxRecords(2).emitEarlyWhenFull())),
      Map.entry("suppress-limit-table", ReferenceTopologiesWindows::limitedTable),
      Map.entry("suppress-limit-regroup", ReferenceTopologiesWindows::limitedRegroup),
      Map.entry("suppress-final-sliding", b -> finalResults(b, "sliding")),
      Map.entry("suppress-final-session", b -> finalResults(b, "session")),
      Map.entry("close-tumbling-keys", b -> onWindowClose(b, "tumbling")),
      Map.entry("close-hopping-keys", b -> onWindowClose(b, "hopping")),
      Map.entry("close-session-keys", b -> onWindowClose(b, "session")));

  private static KStream<String, String> input(StreamsBuilder builder, String topic) {
    return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  }

  private static String joined(String left, String right) {
    return left + "+" + right;
  }

  private static String windowKey(Windowed<String> key) {
    return key.key() + "@" + key.window().start() + "/" + key.window().end();
  }

  private static void toCounts(KTable<Windowed<String>, Long> counts) {
    counts.toStream((key, count) -> windowKey(key)).to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  private static JoinWindows looksBack() {
    return JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(1), Duration.ofSeconds(2)).before(Duration.ofSeconds(4));
  }

  private static JoinWindows looksAhead() {
    return JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(1), Duration.ofSeconds(3)).after(Duration.ofSeconds(5));
  }

  /** Asymmetric windows: the right side may be up to `before` earlier and `after` later than the left. */
  private static void asymmetricJoin(StreamsBuilder builder, String kind, JoinWindows window) {
    KStream<String, String> left = input(builder, "left");
    KStream<String, String> right = input(builder, "right");
    StreamJoined<String, String, String> serdes = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
    KStream<String, String> out = switch (kind) {
      case "inner" -> left.join(right, ReferenceTopologiesWindows::joined, window, serdes);
      case "left" -> left.leftJoin(right, ReferenceTopologiesWindows::joined, window, serdes);
      case "outer" -> left.outerJoin(right, ReferenceTopologiesWindows::joined, window, serdes);
      default -> throw new IllegalArgumentException(kind);
    };
    out.to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /** A count per key, rate-limited by untilTimeLimit. */
  private static void limitedCount(StreamsBuilder builder, Duration limit, BufferConfig<?> buffer) {
    input(builder, "clicks")
        .groupByKey()
        .count()
        .suppress(Suppressed.untilTimeLimit(limit, buffer))
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
  }

  /** A source table (tombstones included) rate-limited by untilTimeLimit. */
  private static void limitedTable(StreamsBuilder builder) {
    builder.table("clicks", Consumed.with(Serdes.String(), Serdes.String()))
        .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(3), BufferConfig.maxRecords(3).emitEarlyWhenFull()))
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  /**
   * Users per region from a rate-limited table of user to region: the subtractor sees the old values
   * suppress emits with each change.
   */
  private static void limitedRegroup(StreamsBuilder builder) {
    builder.table("clicks", Consumed.with(Serdes.String(), Serdes.String()))
        .suppress(Suppressed.untilTimeLimit(Duration.ofSeconds(3), BufferConfig.unbounded()))
        .groupBy((user, region) -> KeyValue.pair(region, user), Grouped.with(Serdes.String(), Serdes.String()))
        .aggregate(() -> "", (region, user, users) -> users + "+" + user, (region, user, users) -> users + "-" + user,
            Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("limited-region-users").withValueSerde(Serdes.String()).withCachingDisabled())
        .toStream()
        .to("out", Produced.with(Serdes.String(), Serdes.String()));
  }

  private static void finalResults(StreamsBuilder builder, String kind) {
    var grouped = input(builder, "clicks").groupByKey();
    KTable<Windowed<String>, Long> counts = kind.equals("sliding")
        ? grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(3))).count()
        : grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(2))).count();
    toCounts(counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())));
  }

  private static void onWindowClose(StreamsBuilder builder, String kind) {
    var grouped = input(builder, "clicks").groupByKey();
    KTable<Windowed<String>, Long> counts = switch (kind) {
      case "session" -> grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(3), Duration.ofSeconds(1)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count(Materialized.<String, Long, SessionStore<Bytes, byte[]>>as("closed-sessions").withRetention(FINAL_RETENTION));
      case "tumbling" -> grouped.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(1)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("closed-windows").withRetention(FINAL_RETENTION));
      case "hopping" -> grouped.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(6), Duration.ofSeconds(1)).advanceBy(Duration.ofSeconds(2)))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("closed-windows").withRetention(FINAL_RETENTION));
      default -> throw new IllegalArgumentException(kind);
    };
    toCounts(counts);
  }
}
