package dev.kstreams.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The steps of a harness run against a broker, in order, each "ok" or what went wrong, printed as
 * one JSON line {"steps": {name: outcome}} for the TypeScript suite to check. A failing step does
 * not stop the run: later steps report on their own.
 */
final class StepReport {
  interface Step {
    void run() throws Exception;
  }

  private static final Map<String, String> steps = new LinkedHashMap<>();

  private StepReport() {}

  /** Runs one step and records its outcome (the cause of an ExecutionException, as futures wrap it). */
  static void step(String name, Step step) {
    try {
      step.run();
      steps.put(name, "ok");
    } catch (ExecutionException e) {
      steps.put(name, describe(e.getCause()));
    } catch (Exception e) {
      steps.put(name, describe(e));
    }
  }

  /** Fails the step under way with `message` unless `condition` holds. */
  static void expect(boolean condition, String message) {
    if (!condition) throw new IllegalStateException(message);
  }

  /** An error as one line: its class and the first line of its message. */
  static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage()).split("\n")[0];
  }

  /** Prints the report on standard output. */
  static void print() {
    ObjectNode report = new ObjectMapper().createObjectNode();
    ObjectNode stepsNode = report.putObject("steps");
    steps.forEach(stepsNode::put);
    System.out.println(report);
  }
}
