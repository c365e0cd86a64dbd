package io.flowpay.http;

/**
 * An answer the API gives instead of a result: a status and a JSON problem
 * {@code {"error": {"type", "field", "message"}}}. Thrown (or failed into a future) by a handler and
 * written by {@link Answers#failed}; it is an HTTP answer, not a failure of Flowpay, so it is not a
 * {@code FlowpayFailure}.
 */
final class ApiProblem extends RuntimeException {

  private final int status;
  private final String type;
  private final String field;

  ApiProblem(int status, String type, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.field = field;
  }

  /** 400: the request is wrong; {@code field} names what (null when it is the whole body). */
  static ApiProblem invalid(String field, String message) {
    return new ApiProblem(400, "invalid_request", field, message);
  }

  /** 422: an {@code Idempotency-Key} sent again with a different request. */
  static ApiProblem keyReused(String message) {
    return new ApiProblem(422, "idempotency_key_reused", "Idempotency-Key", message);
  }

  /** 403: the token may not do this (its scope in {@code FLOWPAY_API_TOKENS}); {@code field} names what. */
  static ApiProblem forbidden(String field, String message) {
    return new ApiProblem(403, "forbidden", field, message);
  }

  /** 409: the request is fine but the state of Flowpay refuses it now (e.g. a disabled flow). */
  static ApiProblem conflict(String type, String field, String message) {
    return new ApiProblem(409, type, field, message);
  }

  static ApiProblem notFound(String field, String message) {
    return new ApiProblem(404, "not_found", field, message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String field() {
    return field;
  }
}
