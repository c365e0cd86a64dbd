package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.RawJson;
import io.flowpay.flow.Task;
import io.flowpay.queue.Answer;
import io.flowpay.stripe.StripeAnswer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RepliesTest {

  private static final Task ORIGIN = Task.main("pay", "w1", "order-1", Caller.CLI, new JsonObject());

  @Test
  void anAnswerThatCannotBeEncodedBecomesAnErrorAnswerForTheErrorFlow() {
    Object carry = "leaf";
    for (int i = 0; i < 5_000; i++) {
      carry = new JsonObject().put("n", carry);
    }
    Call call = new Call("call_1_0", "POST", "/v1/payment_intents", new JsonObject().put("amount", 100), "key_1_0",
        "created", "create_failed", carry, null, ORIGIN);
    Answer answer = Replies.of(call, new StripeAnswer(true, 200, RawJson.object("{\"id\":\"pi_1\"}"), "req_1"));

    Task task = Task.decode(answer.text());
    assertEquals("create_failed", task.flow());
    assertNull(task.reply().carry(), "the carry that could not be stored is left out");
    JsonObject error = ((JsonObject) task.input()).getJsonObject("error");
    assertEquals("answer_unstorable", error.getString("code"));
    assertEquals("{\"id\":\"pi_1\"}", error.getString("answer"), "Stripe's answer reaches the flow as text");
    assertTrue(error.getString("message").contains("call_1_0"), error.getString("message"));
    assertEquals("", answer.ending());
  }

  @Test
  void aStorableAnswerGoesToItsFlowAsItCame() {
    Call call = new Call("call_1_0", "POST", "/v1/payment_intents", new JsonObject(), "key_1_0", "created",
        "create_failed", new JsonObject().put("order", 7), null, ORIGIN);
    Task task = Task.decode(Replies.of(call, new StripeAnswer(true, 200, RawJson.object("{\"id\":\"pi_1\"}"), "r")).text());
    assertEquals("created", task.flow());
    assertEquals(new JsonObject().put("order", 7), task.reply().carry());
  }
}
