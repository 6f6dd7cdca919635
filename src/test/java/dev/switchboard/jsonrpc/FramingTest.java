package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramingTest {
  private static ByteArrayInputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void lineReaderSplitsOnNewlinesSkipsBlankLinesAndKeepsALastUnterminatedLine() throws Exception {
    LineReader reader = new LineReader(bytes("one\r\n\ntwo\nthree"), 100);
    assertThat(new String(reader.readLine(), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(new String(reader.readLine(), StandardCharsets.UTF_8)).isEqualTo("two");
    assertThat(new String(reader.readLine(), StandardCharsets.UTF_8)).isEqualTo("three");
    assertThat(reader.readLine()).isNull();
  }

  @Test
  void aTooLongLineIsRefusedAndReadingGoesOnAfterIt() throws Exception {
    LineReader reader = new LineReader(bytes("x".repeat(50) + "\nok\n"), 10);
    assertThatThrownBy(reader::readLine).isInstanceOf(LineReader.LineTooLongException.class);
    assertThat(new String(reader.readLine(), StandardCharsets.UTF_8)).isEqualTo("ok");
  }

  @Test
  void sseReaderJoinsDataLinesKeepsIdsAndSkipsComments() throws Exception {
    SseReader reader = new SseReader(bytes(": keep-alive\n\nid: 7\nevent: message\ndata: {\"a\":\ndata: 1}\n\nretry: 250\ndata: x\r\n\r\n"), 1000);
    SseReader.Event first = reader.next();
    assertThat(first.id()).isEqualTo("7");
    assertThat(first.data()).isEqualTo("{\"a\":\n1}");
    assertThat(reader.lastEventId()).isEqualTo("7");
    SseReader.Event second = reader.next();
    assertThat(second.event()).isEqualTo("message");
    assertThat(second.retryMillis()).isEqualTo(250L);
    assertThat(second.data()).isEqualTo("x");
    assertThat(reader.next()).isNull();
  }

  @Test
  void classifyTellsRequestsNotificationsAndResponsesAndRefusesTheRest() {
    assertThat(JsonRpc.classify(Json.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))).isEqualTo(JsonRpc.Kind.REQUEST);
    assertThat(JsonRpc.classify(Json.parse("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}"))).isEqualTo(JsonRpc.Kind.NOTIFICATION);
    assertThat(JsonRpc.classify(Json.parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}"))).isEqualTo(JsonRpc.Kind.RESPONSE);
    assertThatThrownBy(() -> JsonRpc.classify(Json.parse("[1]"))).hasMessageContaining("batch");
    assertThatThrownBy(() -> JsonRpc.classify(Json.parse("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"m\"}")))
        .hasMessageContaining("\"id\" must be a string or an integer");
    assertThatThrownBy(() -> JsonRpc.classify(Json.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1]}")))
        .hasMessageContaining("\"params\" must be an object");
    assertThatThrownBy(() -> Json.parse("{oops")).isInstanceOf(McpError.class)
        .satisfies(e -> assertThat(((McpError) e).code()).isEqualTo(-32700));
  }

  @Test
  void unknownFieldsSurviveARoundTrip() {
    String text = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x-vendor\":{\"deep\":[1,2.50,\"s\"]},\"n\":12345678901234567890}}";
    assertThat(Json.write(Json.parse(text))).isEqualTo(text);
  }
}
