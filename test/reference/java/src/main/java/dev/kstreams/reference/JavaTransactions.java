package dev.kstreams.reference;

import static dev.kstreams.reference.StepReport.describe;
import static dev.kstreams.reference.StepReport.expect;
import static dev.kstreams.reference.StepReport.step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's Java transactional producer and read_committed consumer against one broker; prints a JSON
 * report {"steps": {name: "ok" | "<what went wrong>"}} like JavaClients. A transaction is committed,
 * one aborted and one left open; read_committed must see only the committed records and stop at the
 * open one, read_uncommitted sees everything. Then a consume-transform-produce loop commits its
 * input offsets with its output (aborted first: the offsets must not move), a second producer with
 * the same transactional id fences the first, and the admin describes and lists the transaction.
 * Arguments: bootstrap, topic.
 */
public final class JavaTransactions {
  private static final int PARTITIONS = 2;

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String output = topic + "-out";
    String group = topic + "-eos";
    String txId = topic + "-tx";
    Properties common = new Properties();
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    common.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    common.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");

    try (Admin admin = Admin.create(common); KafkaProducer<String, String> producer = transactionalProducer(common, txId)) {
      step("admin.createTopics", () -> admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1), new NewTopic(output, PARTITIONS, (short) 1))).all().get());
      step("producer.initTransactions", producer::initTransactions);
      step("producer.commitTransaction", () -> {
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
        producer.commitTransaction();
      });
      step("producer.abortTransaction", () -> {
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
        producer.flush();
        producer.abortTransaction();
      });
      step("producer.open transaction flushed", () -> {
        producer.beginTransaction();
        for (int i = 0; i < 5; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "open-" + i));
        producer.flush();
      });
      step("consumer.read_committed stops before the open transaction", () -> {
        Set<String> values = readAll(common, topic, "read_committed");
        expect(values.equals(expected("committed-", 10)), "read_committed saw " + values);
      });
      step("consumer.read_uncommitted sees every record", () -> {
        Set<String> values = readAll(common, topic, "read_uncommitted");
        Set<String> all = expected("committed-", 10);
        all.addAll(expected("aborted-", 10));
        all.addAll(expected("open-", 5));
        expect(values.equals(all), "read_uncommitted saw " + values.size() + " records: " + values);
      });
      step("consumer.read_committed sees the open transaction once committed", () -> {
        producer.commitTransaction();
        Set<String> values = readAll(common, topic, "read_committed");
        Set<String> committed = expected("committed-", 10);
        committed.addAll(expected("open-", 5));
        expect(values.equals(committed), "read_committed saw " + values);
      });
      step("producer.sendOffsetsToTransaction (aborted, then committed)", () -> consumeTransformProduce(common, admin, producer, topic, output, group));
      step("admin.describeTransactions", () -> {
        TransactionDescription description = admin.describeTransactions(List.of(txId)).description(txId).get();
        expect(description.state().toString().equals("CompleteCommit"), "state " + description.state());
      });
      step("admin.listTransactions", () -> expect(admin.listTransactions().all().get().stream().anyMatch(t -> t.transactionalId().equals(txId)), "not listed"));
      step("producer.fenced by a newer producer of the same transactional id", () -> {
        try (KafkaProducer<String, String> newer = transactionalProducer(common, txId)) {
          newer.initTransactions();
          try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "zombie", "zombie")).get();
            producer.commitTransaction();
            throw new IllegalStateException("the older producer committed after being fenced");
          } catch (Exception failure) {
            expect(fencedBy(failure), "the older producer failed with " + describe(failure) + " instead of being fenced");
          }
          newer.beginTransaction();
          newer.send(new ProducerRecord<>(topic, "k", "newer"));
          newer.commitTransaction();
        }
        Set<String> values = readAll(common, topic, "read_committed");
        expect(values.contains("newer") && !values.contains("zombie"), "read_committed saw " + values);
      });
    }
    StepReport.print();
  }

  private static KafkaProducer<String, String> transactionalProducer(Properties common, String txId) {
    Properties props = new Properties();
    props.putAll(common);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static Properties consumerProps(Properties common, String isolation) {
    Properties props = new Properties();
    props.putAll(common);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** Every value of `topic` a consumer of `isolation` reads up to its end offsets (the LSO under read_committed). */
  private static Set<String> readAll(Properties common, String topic, String isolation) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(common, isolation), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) partitions.add(new TopicPartition(topic, p));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Set<String> values = new TreeSet<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) values.add(record.value());
      }
      expect(System.currentTimeMillis() < deadline, "did not reach the end offsets " + end + " within 20 s");
      return values;
    }
  }

  /** Reads the input in a group, writes it upper-cased with its offsets in one transaction: aborted, then committed. */
  private static void consumeTransformProduce(Properties common, Admin admin, KafkaProducer<String, String> producer, String input, String output, String group) throws Exception {
    Properties props = consumerProps(common, "read_committed");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(input));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while (records.size() < 15 && System.currentTimeMillis() < deadline) consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      expect(records.size() == 15, "consumed " + records.size() + " committed records of 15");
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : consumer.assignment()) offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      for (boolean commit : new boolean[] {false, true}) {
        producer.beginTransaction();
        for (ConsumerRecord<String, String> record : records) producer.send(new ProducerRecord<>(output, record.key(), record.value().toUpperCase()));
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        if (commit) producer.commitTransaction();
        else {
          producer.flush();
          producer.abortTransaction();
          Map<TopicPartition, OffsetAndMetadata> afterAbort = stableGroupOffsets(admin, group, offsets.keySet());
          expect(afterAbort.values().stream().allMatch(o -> o == null), "offsets committed by an aborted transaction: " + afterAbort);
        }
      }
      Map<TopicPartition, OffsetAndMetadata> committed = stableGroupOffsets(admin, group, offsets.keySet());
      expect(committed.equals(offsets), "group offsets " + committed + ", expected " + offsets);
      Set<String> out = readAll(common, output, "read_committed");
      expect(out.size() == 15 && out.stream().allMatch(v -> v.equals(v.toUpperCase())), "read_committed output " + out);
    }
  }

  /**
   * The group's offsets of `partitions` once no transaction holds them. commitTransaction and
   * abortTransaction return when the coordinator has decided; the markers that settle the offsets
   * are written after, so a plain OffsetFetch may still answer without them. With require_stable
   * the broker answers UNSTABLE_OFFSET_COMMIT for a partition a transaction holds. The partitions
   * are named because a fetch of all the group's offsets lists only partitions that already have a
   * committed offset, and the admin client leaves an unstable partition out of its answer instead
   * of retrying, so this asks again until every partition is answered.
   */
  private static Map<TopicPartition, OffsetAndMetadata> stableGroupOffsets(Admin admin, String group, Set<TopicPartition> partitions) throws Exception {
    ListConsumerGroupOffsetsOptions stable = new ListConsumerGroupOffsetsOptions().requireStable(true);
    ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(partitions);
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> answered = admin.listConsumerGroupOffsets(Map.of(group, spec), stable).partitionsToOffsetAndMetadata(group).get();
      if (answered.keySet().containsAll(partitions)) return answered;
      expect(System.currentTimeMillis() < deadline, "offsets of " + partitions + " still held by a transaction after 30 s: " + answered);
      Thread.sleep(100);
    }
  }

  /**
   * True when `failure` is, or was caused by, fencing: ProducerFencedException where the coordinator
   * refuses the stale epoch first (AddPartitionsToTxn), InvalidProducerEpochException where the
   * partition does (brokers with transaction version 2 add partitions on produce).
   */
  private static boolean fencedBy(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) return true;
    }
    return false;
  }

  private static Set<String> expected(String prefix, int count) {
    Set<String> values = new TreeSet<>();
    for (int i = 0; i < count; i++) values.add(prefix + i);
    return values;
  }
}
