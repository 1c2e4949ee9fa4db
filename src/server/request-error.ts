// A client's mistake, with the HTTP status that says which kind. Its message goes into the
// response body, so it names the field and index but never a server path or a stack.

export class RequestError extends Error {
  /** reason: set when the error is a refusal counted in /metrics (cardiograd_refusals_total). */
  constructor(readonly status: number, message: string, readonly reason?: string) {
    super(message);
    this.name = 'RequestError';
  }
}
