/**
 * The one error type the platform raises on purpose. `code` is machine-readable and
 * stable; the api maps `status` to HTTP in one place.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('not_found', `${what} ${id} was not found`, 404);
  }

  static unavailable(message: string): AppError {
    return new AppError('service_unavailable', message, 503);
  }
}
