// The error envelope of the transcoder: {"error": {"code", "message"}}.
// 4xx = permanent (the queue consumer must not retry), 5xx = transient (retry).

export type ErrorCode =
  | "invalid_job"
  | "unauthorized"
  | "invalid_audio"
  | "source_unavailable"
  | "output_failed"
  | "timeout"
  | "transcode_failed"
  | "internal_error"
  | "not_found"
  | "method_not_allowed"
  | "aborted";

export class JobError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** For the log only (e.g. the tail of ffmpeg's stderr); never sent to the client. */
  detail?: string;

  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function withDetail(error: JobError, detail: string): JobError {
  error.detail = detail.trim().split("\n").slice(-3).join(" | ").slice(0, 500);
  return error;
}

export const invalidAudio = (message: string) => new JobError(422, "invalid_audio", message);

export function errorBody(error: JobError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}
