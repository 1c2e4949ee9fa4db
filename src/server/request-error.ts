// A client's mistake, with the HTTP status that says which kind. Its message goes into the
// response body, so it names the field and index but never a server path or a stack.

export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}
