package dev.kstreams.reference;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * A Kafka Streams (Java) pass-through, input topic to output topic, run as a process against any
 * broker: how Kafka Streams itself treats records the cluster refuses to write. Prints "state
 * <STATE>" on every state change and "error <exception>" when the instance fails, and runs until
 * SIGTERM. Arguments: bootstrap, application id, input topic, output topic, state dir, processing
 * guarantee, and the production handler: "resume" (drop the refused record and go on, as kstreams'
 * logAndContinue) or "fail" (Kafka's default).
 */
public final class JavaPassThrough {
  /** Kafka has no resuming production handler of its own: this one drops the refused record. */
  public static final class ResumingProductionHandler implements ProductionExceptionHandler {
    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      System.out.println("refused " + exception.getClass().getSimpleName());
      return Response.resume();
    }

    @Override
    public void configure(java.util.Map<String, ?> configs) {}
  }

  public static void main(String[] args) throws InterruptedException {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[5]);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        args[6].equals("resume") ? ResumingProductionHandler.class : DefaultProductionExceptionHandler.class);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

    StreamsBuilder builder = new StreamsBuilder();
    builder.<String, String>stream(args[2]).to(args[3]);

    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> System.out.println("state " + now));
    streams.setUncaughtExceptionHandler(error -> {
      Throwable cause = error;
      while (cause.getCause() != null) cause = cause.getCause();
      System.out.println("error " + cause.getClass().getSimpleName());
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      stopped.countDown();
    }));
    streams.start();
    stopped.await();
  }
}
