/** An error answered the way GitHub answers it: status, `message`, optional `errors`, `documentation_url`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<Record<string, unknown>>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON() {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: "https://docs.github.com/rest",
      status: String(this.status),
    };
  }
}

export const notFound = () => new ApiError(404, "Not Found");

/** GitHub's 422 for a semantic problem with one field (the schema was fine). */
export const unprocessable = (resource: string, field: string, code: string, message?: string) =>
  new ApiError(422, "Validation Failed", [{ resource, field, code, ...(message ? { message } : {}) }]);
