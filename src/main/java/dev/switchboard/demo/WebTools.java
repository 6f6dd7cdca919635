package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tools of the {@code web} demo server: synthetic weather ({@code get_weather}) and a stream of
 * log lines ({@code stream_logs}) that shows progress and logging notifications flowing through
 * the hub. Nothing here touches the network.
 */
final class WebTools {
  static final int MAX_CITY_LENGTH = 100;
  static final int MAX_COUNT = 1000;
  static final int MAX_INTERVAL_MS = 60_000;
  static final String SYNTHETIC_LABEL = "Synthetic demo data (not a real forecast)";

  private static final List<String> MILD = List.of("sunny", "partly cloudy", "cloudy", "light rain", "showers", "overcast", "windy");
  private static final List<String> COLD = List.of("clear and cold", "cloudy", "light snow", "snow showers", "fog", "overcast");
  private static final List<String> LOG_MESSAGES = List.of(
      "accepted connection from 10.0.0.7",
      "cache warm-up finished (128 entries)",
      "processed batch of 42 demo orders",
      "health check passed",
      "rotated access log",
      "slow request: GET /demo/report took 812 ms",
      "refreshed synthetic weather feed",
      "background job 'reindex' completed");

  private final InstantSource clock;

  WebTools(InstantSource clock) {
    this.clock = clock;
  }

  List<DemoTool> tools() {
    return List.of(getWeather(), streamLogs());
  }

  private DemoTool getWeather() {
    ObjectNode input = Json.object().put("type", "object");
    input.putObject("properties").putObject("city")
        .put("type", "string")
        .put("description", "City name, e.g. Paris")
        .put("minLength", 1)
        .put("maxLength", MAX_CITY_LENGTH);
    input.putArray("required").add("city");
    input.put("additionalProperties", false);

    ObjectNode output = Json.object().put("type", "object");
    ObjectNode props = output.putObject("properties");
    props.putObject("city").put("type", "string");
    props.putObject("temperatureC").put("type", "integer");
    props.putObject("conditions").put("type", "string");
    props.putObject("humidityPercent").put("type", "integer");
    props.putObject("windKph").put("type", "integer");
    props.putObject("synthetic").put("type", "boolean");
    output.putArray("required").add("city").add("temperatureC").add("conditions").add("synthetic");

    return new DemoTool("get_weather", "Get weather (synthetic)",
        "Returns SYNTHETIC demo weather for a city: made up, not a real forecast, but always the same for the same city.",
        input, output,
        DemoTool.annotations("Get weather (synthetic)", true, false, true, false),
        (args, ctx) -> weather(args));
  }

  private ObjectNode weather(ObjectNode args) {
    String city = ToolArguments.requiredString(args, "city", "a city name, e.g. Paris").strip();
    if (city.length() > MAX_CITY_LENGTH) {
      throw new ToolFailure("Argument city must be at most " + MAX_CITY_LENGTH + " characters, got " + city.length());
    }
    byte[] h = sha256(city.toLowerCase(Locale.ROOT));
    int temperature = -8 + Byte.toUnsignedInt(h[0]) % 40; // -8..31 °C
    List<String> choices = temperature <= 2 ? COLD : MILD;
    String conditions = choices.get(Byte.toUnsignedInt(h[1]) % choices.size());
    int humidity = 30 + Byte.toUnsignedInt(h[2]) % 66;
    int wind = Byte.toUnsignedInt(h[3]) % 45;

    ObjectNode structured = Json.object();
    structured.put("city", city);
    structured.put("temperatureC", temperature);
    structured.put("conditions", conditions);
    structured.put("humidityPercent", humidity);
    structured.put("windKph", wind);
    structured.put("synthetic", true);
    String text = "%s: %s: %d°C, %s, humidity %d%%, wind %d km/h"
        .formatted(SYNTHETIC_LABEL, city, temperature, conditions, humidity, wind);
    return ToolResults.structured(text, structured);
  }

  private DemoTool streamLogs() {
    ObjectNode input = Json.object().put("type", "object");
    ObjectNode props = input.putObject("properties");
    props.putObject("count")
        .put("type", "integer").put("minimum", 1).put("maximum", MAX_COUNT).put("default", 5)
        .put("description", "How many log lines to emit");
    props.putObject("interval_ms")
        .put("type", "integer").put("minimum", 0).put("maximum", MAX_INTERVAL_MS).put("default", 200)
        .put("description", "Milliseconds between lines");
    input.put("additionalProperties", false);

    return new DemoTool("stream_logs", "Stream demo log lines",
        "Emits COUNT demo log lines INTERVAL_MS apart, each as a progress notification (when the call has a "
            + "progressToken) and as a log message (notifications/message, level info), then returns them all. "
            + "Stops early when cancelled.",
        input,
        DemoTool.annotations("Stream demo log lines", true, false, false, false),
        this::streamLogs);
  }

  private ObjectNode streamLogs(ObjectNode args, ToolContext ctx) {
    int count = ToolArguments.optionalInt(args, "count", 5, 1, MAX_COUNT);
    int intervalMs = ToolArguments.optionalInt(args, "interval_ms", 200, 0, MAX_INTERVAL_MS);
    Duration interval = Duration.ofMillis(intervalMs);
    List<String> lines = new ArrayList<>();
    boolean cancelled = false;
    for (int i = 1; i <= count; i++) {
      if (i > 1 && ctx.pause(interval)) {
        cancelled = true;
        break;
      }
      if (ctx.isCancelled()) {
        cancelled = true;
        break;
      }
      String line = "%s INFO [demo] line %d of %d: %s".formatted(
          clock.instant().truncatedTo(ChronoUnit.MILLIS), i, count, LOG_MESSAGES.get((i - 1) % LOG_MESSAGES.size()));
      lines.add(line);
      ctx.progress(i, (double) count, line);
      ctx.log("info", "stream_logs", Json.MAPPER.getNodeFactory().textNode(line));
    }
    ObjectNode structured = Json.object();
    ArrayNode array = structured.putArray("lines");
    lines.forEach(array::add);
    structured.put("count", lines.size());
    structured.put("cancelled", cancelled);
    String header = cancelled
        ? "Stopped after %d of %d log lines (cancelled):".formatted(lines.size(), count)
        : "Streamed %d log lines:".formatted(lines.size());
    return ToolResults.structured(header + "\n" + String.join("\n", lines), structured);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
