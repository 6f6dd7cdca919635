package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi round-trip requests for stateless-era clients whose call reaches a handshake-era backend.
 * Such a backend asks its questions (elicitation, sampling, roots) as requests while the call is
 * open; a stateless client cannot receive requests. So the hub answers the client's request with
 * {@code resultType: input_required} (the questions as {@code inputRequests}, and a
 * {@code requestState} of its own), keeps the backend call open, and when the client retries with
 * {@code inputResponses} and that state, answers the backend's questions and goes on: with the
 * final result, or with the next round of questions.
 *
 * <p>The hub's {@code requestState} is HMAC-protected (a key per hub instance) and names the parked
 * call, the principal, the method and target, and an expiry: state from another principal, for
 * another request, expired or altered is refused. A parked call the client never resumes is
 * cancelled at its expiry.
 */
final class InputBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InputBridge.class);
  static final String STATE_PREFIX = "sbx1.";
  /** Questions a backend asks within this window after the first go out together. */
  private static final Duration BATCH = Duration.ofMillis(40);

  private final Duration parkedFor;
  private final byte[] key = new byte[32];
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("input-bridge-timer").unstarted(r));

  InputBridge(Duration parkedFor) {
    this.parkedFor = parkedFor;
    new SecureRandom().nextBytes(key);
  }

  /** Whether a requestState is one of the hub's (else it belongs to a stateless-era backend and passes through). */
  static boolean isHubState(JsonNode requestState) {
    return requestState != null && requestState.isTextual() && requestState.textValue().startsWith(STATE_PREFIX);
  }

  /** Starts bridging a new call; the session's client questions go to {@link Call#ask}. */
  Call open(Principal principal, String method, String target, JsonNode requestId, Consumer<ObjectNode> respond,
      Consumer<ObjectNode> stream) {
    Call call = new Call("c" + ids.incrementAndGet(), principal, method, target, requestId, respond, stream);
    calls.put(call.id, call);
    return call;
  }

  /**
   * Resumes a parked call with the client's retry. Answers the retry at once with an error when the
   * state is not valid for it; returns the call (for cancellation) or null.
   */
  Call resume(Principal principal, String method, String target, ObjectNode retry, Consumer<ObjectNode> respond,
      Consumer<ObjectNode> stream) {
    JsonNode requestId = retry.get("id");
    ObjectNode params = JsonRpc.params(retry);
    String callId = verify(params.get("requestState").textValue(), principal, method, target);
    Call call = callId == null ? null : calls.get(callId);
    if (call == null) {
      respond.accept(JsonRpc.error(requestId, McpError.invalidParams(
          "requestState is not valid for this request (altered, expired, for another request or principal,"
              + " or from another hub instance); send the original request again without it")));
      return null;
    }
    JsonNode answers = params.get("inputResponses");
    call.resume(requestId, answers instanceof ObjectNode object ? object : Json.object(), respond, stream);
    return call;
  }

  private String state(Call call) {
    ObjectNode payload = Json.object();
    payload.put("c", call.id);
    payload.put("p", call.principal.name());
    payload.put("m", call.method);
    payload.put("t", call.target);
    payload.put("e", System.currentTimeMillis() + parkedFor.toMillis());
    String body = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(payload));
    return STATE_PREFIX + body + "." + mac(body);
  }

  /** The parked call id when the state is the hub's, unaltered, unexpired and for this principal and request; else null. */
  private String verify(String state, Principal principal, String method, String target) {
    String rest = state.substring(STATE_PREFIX.length());
    int dot = rest.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String body = rest.substring(0, dot);
    if (!MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
        rest.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    JsonNode payload;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(body);
      payload = Json.parse(bytes, 0, bytes.length);
    } catch (IllegalArgumentException | McpError e) {
      return null;
    }
    boolean valid = principal.name().equals(Json.text(payload, "p")) && method.equals(Json.text(payload, "m"))
        && target.equals(Json.text(payload, "t")) && payload.path("e").asLong() > System.currentTimeMillis();
    return valid ? Json.text(payload, "c") : null;
  }

  private String mac(String body) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  int parked() {
    return calls.size();
  }

  @Override
  public void close() {
    calls.values().forEach(call -> call.abandon("the hub is shutting down"));
    timer.shutdownNow();
  }

  /** One bridged call: answering a client request, or parked waiting for its retry. */
  final class Call {
    private final String id;
    private final Principal principal;
    private final String method;
    private final String target;
    private final Map<String, Question> open = new LinkedHashMap<>();
    private final Map<String, Question> unsent = new LinkedHashMap<>();
    private JsonNode requestId;
    private Consumer<ObjectNode> respond;
    private Consumer<ObjectNode> stream;
    private ObjectNode finished;
    private ScheduledFuture<?> flush;
    private ScheduledFuture<?> expiry;
    private Runnable cancelBackend = () -> { };
    private int questions;

    private record Question(String method, ObjectNode params, CompletableFuture<JsonNode> answer) {}

    Call(String id, Principal principal, String method, String target, JsonNode requestId, Consumer<ObjectNode> respond,
        Consumer<ObjectNode> stream) {
      this.id = id;
      this.principal = principal;
      this.method = method;
      this.target = target;
      this.requestId = requestId;
      this.respond = respond;
      this.stream = stream;
    }

    void onCancel(Runnable cancel) {
      this.cancelBackend = cancel;
    }

    /** A notification of the call (progress, a log line): to the client request now open, else dropped. */
    synchronized void notifyClient(ObjectNode notification) {
      if (stream != null) {
        stream.accept(notification);
      }
    }

    /** A question of the backend's: sent to the client as part of an input_required result. */
    synchronized CompletableFuture<JsonNode> ask(String askedMethod, ObjectNode params) {
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      String questionKey = "input-" + (++questions);
      Question question = new Question(askedMethod, params, answer);
      open.put(questionKey, question);
      unsent.put(questionKey, question);
      if (respond != null && flush == null) {
        flush = timer.schedule(this::flush, BATCH.toMillis(), TimeUnit.MILLISECONDS);
      }
      return answer;
    }

    /** Sends the questions asked so far as an input_required result and parks the call. */
    private synchronized void flush() {
      flush = null;
      if (respond == null || unsent.isEmpty()) {
        return;
      }
      sendQuestions(Map.copyOf(unsent));
    }

    private void sendQuestions(Map<String, Question> asked) {
      ObjectNode result = Json.object();
      result.put("resultType", "input_required");
      ObjectNode requests = result.putObject("inputRequests");
      asked.forEach((questionKey, question) -> {
        ObjectNode request = requests.putObject(questionKey);
        request.put("method", question.method());
        request.set("params", question.params());
      });
      result.put("requestState", state(this));
      unsent.clear();
      Consumer<ObjectNode> answer = respond;
      respond = null;
      stream = null;
      expiry = timer.schedule(() -> abandon("the client did not resume it within " + parkedFor.toSeconds() + " s"),
          parkedFor.toMillis(), TimeUnit.MILLISECONDS);
      answer.accept(JsonRpc.result(requestId, result));
    }

    /** The backend's final answer to the call (result or error). */
    synchronized void finish(ObjectNode response) {
      if (flush != null) {
        flush.cancel(false);
        flush = null;
      }
      if (respond == null) {
        finished = response; // parked: the next retry gets it
        return;
      }
      deliver(response);
    }

    private void deliver(ObjectNode response) {
      Consumer<ObjectNode> answer = respond;
      respond = null;
      stream = null;
      calls.remove(id);
      if (expiry != null) {
        expiry.cancel(false);
      }
      if (answer != null) {
        answer.accept(response == null ? null : withId(response, requestId));
      }
    }

    synchronized void resume(JsonNode retryId, ObjectNode answers, Consumer<ObjectNode> retryRespond,
        Consumer<ObjectNode> retryStream) {
      if (expiry != null) {
        expiry.cancel(false);
        expiry = null;
      }
      requestId = retryId;
      respond = retryRespond;
      stream = retryStream;
      if (finished != null) {
        deliver(finished);
        return;
      }
      answers.properties().forEach(entry -> {
        Question question = open.remove(entry.getKey());
        if (question != null) {
          question.answer().complete(entry.getValue()); // unknown keys are ignored, as the spec says
        }
      });
      if (!open.isEmpty()) {
        sendQuestions(Map.copyOf(open)); // ask again for what is still missing
      }
    }

    /** Gives up on the call: the backend's questions fail and the call is cancelled. */
    synchronized void abandon(String reason) {
      if (!calls.remove(id, this)) {
        return;
      }
      log.info("parked call {} {} abandoned: {}", method, target, reason);
      open.values().forEach(q -> q.answer().completeExceptionally(McpError.backendUnavailable("the client " + reason)));
      open.clear();
      cancelBackend.run();
    }

    private ObjectNode withId(ObjectNode response, JsonNode newId) {
      ObjectNode copy = Json.object();
      copy.setAll(response);
      copy.set("id", newId);
      return copy;
    }
  }
}
