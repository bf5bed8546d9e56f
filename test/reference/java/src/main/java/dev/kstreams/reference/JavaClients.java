package dev.kstreams.reference;

import static dev.kstreams.reference.StepReport.expect;
import static dev.kstreams.reference.StepReport.step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Exercises Kafka's Java admin, producer and consumer against one broker and prints a JSON report:
 * {"steps": {name: "ok" | "<what went wrong>"}}. Each step runs whatever happened before it, so
 * one unsupported feature shows as one failed step, not a crash. Arguments: bootstrap, topic, and
 * optionally a client properties file (security.protocol, sasl.*, ssl.*) every client loads.
 */
public final class JavaClients {
  private static final int RECORDS = 300;
  private static final int PARTITIONS = 3;

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = topic + "-group";
    Properties common = new Properties();
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    common.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    common.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    if (args.length > 2) {
      try (java.io.InputStream in = new java.io.FileInputStream(args[2])) {
        common.load(in);
      }
    }

    try (Admin admin = Admin.create(common)) {
      step("admin.createTopics", () -> admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get());
      step("admin.listTopics", () -> expect(admin.listTopics().names().get().contains(topic), "topic not listed"));
      step("admin.describeTopics", () -> {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        expect(description.partitions().size() == PARTITIONS, "partitions: " + description.partitions().size());
      });
      step("admin.describeCluster", () -> expect(admin.describeCluster().nodes().get().size() == 1, "nodes"));

      step("producer.send (idempotent, acks=all, headers)", () -> produce(common, topic));

      step("consumer.group subscribe, poll, commitSync", () -> consume(common, topic, group));
      step("admin.listConsumerGroupOffsets", () -> {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long total = offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        expect(total == RECORDS, "committed offsets sum to " + total);
      });
      step("admin.describeConsumerGroups", () -> {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        expect(description.groupId().equals(group), "group id");
      });
      step("admin.listGroups", () -> expect(admin.listGroups().all().get().stream().anyMatch(g -> g.groupId().equals(group)), "group not listed"));
      step("admin.listOffsets", () -> {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        long total = admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        expect(total == RECORDS, "end offsets sum to " + total);
      });
      step("admin.describeConfigs", () -> {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value();
        expect(policy.equals("delete"), "cleanup.policy " + policy);
      });
      step("admin.deleteRecords", () -> {
        Map<TopicPartition, RecordsToDelete> before = Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1));
        admin.deleteRecords(before).all().get();
      });
      step("producer.transactions", () -> transactional(common, topic));
      step("admin.deleteConsumerGroupOffsets", () -> admin.deleteConsumerGroupOffsets(group, Set.of(new TopicPartition(topic, 0))).all().get());
      step("admin.deleteTopics", () -> {
        admin.deleteTopics(List.of(topic)).all().get();
        expect(!admin.listTopics().names().get().contains(topic), "topic still listed");
      });
    }
    StepReport.print();
  }

  private static void produce(Properties common, String topic) throws Exception {
    Properties props = new Properties();
    props.putAll(common);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "key-" + (i % 17), "value-" + i);
        record.headers().add("index", Integer.toString(i).getBytes());
        sent.add(producer.send(record));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> future : sent) future.get();
    }
  }

  private static void consume(Properties common, String topic, String group) {
    Properties props = new Properties();
    props.putAll(common);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Map<String, String> seen = new HashMap<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (seen.size() < RECORDS && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          int index = Integer.parseInt(new String(record.headers().lastHeader("index").value()));
          expect(record.key().equals("key-" + (index % 17)) && record.value().equals("value-" + index), "record " + index + " garbled");
          seen.put(record.value(), record.key());
        }
      }
      expect(seen.size() == RECORDS, "consumed " + seen.size() + " of " + RECORDS);
      consumer.commitSync();
    }
  }

  private static void transactional(Properties common, String topic) throws Exception {
    Properties props = new Properties();
    props.putAll(common);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "tx", "committed"));
      producer.commitTransaction();
    }
  }
}
