/**
 * Generated from specs/fal.yaml by `npm run generate` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/fal-ai/ideogram/upscale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an upscale run to the queue
         * @description Enqueues a run of `fal-ai/ideogram/upscale` and answers at once with a ticket: the
         *     `request_id`, the URLs to poll, fetch and cancel it (short form, without `/upscale`) and
         *     the position in the queue. With `fal_webhook`, fal also POSTs the outcome to that URL when
         *     the run ends (see the `upscaleResult` webhook).
         */
        post: operations["submitUpscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/requests/{request_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Get a run's queue status
         * @description Returns the run's current status: `IN_QUEUE` with `queue_position`, `IN_PROGRESS` with
         *     `logs`, or `COMPLETED` with `logs`, `metrics` and, when the run failed, `error` and
         *     `error_type`. `logs` is null unless `logs=1`. COMPLETED does not mean success: fetch the
         *     result to learn the outcome. This is the short form `status_url` points at.
         */
        get: operations["getRequestStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/upscale/requests/{request_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Get a run's queue status (long URL form)
         * @description Same as `getRequestStatus`, at the long URL form (with the `/upscale` subpath) that fal's
         *     per-endpoint OpenAPI lists.
         */
        get: operations["getRequestStatusLong"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/requests/{request_id}/status/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Stream a run's status as Server-Sent Events
         * @description Keeps the connection open and sends the run's status as Server-Sent Events: each event is
         *     one `data:` line carrying a `QueueStatus` JSON object (the same objects `getRequestStatus`
         *     returns), sent as the status changes. The stream ends after the COMPLETED event.
         */
        get: operations["streamRequestStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/upscale/requests/{request_id}/status/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Stream a run's status as Server-Sent Events (long URL form)
         * @description Same as `streamRequestStatus`, at the long URL form (with the `/upscale` subpath) that
         *     fal's per-endpoint OpenAPI lists.
         */
        get: operations["streamRequestStatusLong"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/requests/{request_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Get a run's result
         * @description Returns the model output once the run is COMPLETED, or the error the run ended with, with
         *     that error's status code and headers: 422 for validation and model errors (including a
         *     `content_policy_violation` found after the status said COMPLETED), 5xx for
         *     infrastructure errors. This is the short form `response_url` points at.
         */
        get: operations["getRequestResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/upscale/requests/{request_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        /**
         * Get a run's result (long URL form)
         * @description Same as `getRequestResult`, at the long URL form (with the `/upscale` subpath) that fal's
         *     per-endpoint OpenAPI lists.
         */
        get: operations["getRequestResultLong"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/requests/{request_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Cancel a queued run
         * @description Asks fal to cancel the run. A run still in the queue is removed; a run already in progress
         *     may not stop. Answers `CANCELLATION_REQUESTED`, or `ALREADY_COMPLETED` if the run has
         *     finished, or `NOT_FOUND` for an unknown id. This is the short form `cancel_url` points at.
         */
        put: operations["cancelRequest"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/ideogram/upscale/requests/{request_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Cancel a queued run (long URL form)
         * @description Same as `cancelRequest`, at the long URL form (with the `/upscale` subpath) that fal's
         *     per-endpoint OpenAPI lists.
         */
        put: operations["cancelRequestLong"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/storage/upload/initiate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start uploading a file to fal storage
         * @description First of two steps to put a local file on fal storage, e.g. an image to upscale. This call
         *     returns a one-off `upload_url` and the final `file_url`. Second step (not declared as a
         *     path, the URL being opaque): `PUT <upload_url>` with the raw file bytes as the body and
         *     `Content-Type` set to the file's MIME type; once it succeeds, `file_url` serves the file and
         *     can be passed as `image_url`. The client sends `storage_type=fal-cdn-v3`.
         */
        post: operations["initiateUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    upscaleResult: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * fal reports a finished run to the fal_webhook URL
         * @description When a run submitted with `fal_webhook` ends, fal POSTs its outcome as JSON to that URL:
         *     `status: OK` with the output in `payload`; `status: ERROR` with `error` (e.g.
         *     `Invalid status code: 422`) and the error body in `payload`; or `payload: null` with
         *     `payload_error` when the output could not be serialized.
         *
         *     **Signature.** Verify before trusting the body: build the message
         *     `request_id + "\n" + user_id + "\n" + timestamp + "\n" + sha256hex(raw body)` from the
         *     `X-Fal-Webhook-Request-Id`, `X-Fal-Webhook-User-Id` and `X-Fal-Webhook-Timestamp` headers
         *     and the SHA-256 (lowercase hex) of the raw request bytes (not a re-serialised JSON), and
         *     check `X-Fal-Webhook-Signature` (hex) as an Ed25519 signature of it against fal's public
         *     keys, published as a JWKS (OKP keys).
         *
         *     **Delivery.** fal retries delivery up to 10 times over 2 hours, so the same run can arrive
         *     more than once: receivers must be idempotent (e.g. keyed on `request_id`).
         */
        post: operations["upscaleResultWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description Input of `fal-ai/ideogram/upscale`. There is no `num_images`; output is up to 2x the input. */
        UpscaleInput: {
            /**
             * Format: uri
             * @description The image to upscale, as a URL fal can fetch (public or fal storage) or a `data:image/…;base64,` URI.
             * @example https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png
             */
            image_url: string;
            /**
             * @description Optional prompt that guides the upscale.
             * @default
             */
            prompt?: string;
            /**
             * @description How closely the result resembles the original image (higher = closer).
             * @default 50
             */
            resemblance?: number;
            /**
             * @description How much detail the upscaler adds.
             * @default 50
             */
            detail?: number;
            /**
             * @description Whether to expand the prompt with Ideogram's MagicPrompt.
             * @default false
             */
            expand_prompt?: boolean;
            /** @description Seed for the random number generator; omitted means a random seed (returned in the output). */
            seed?: number;
            /**
             * @description If true, the image is returned inline as a `data:` URI instead of being uploaded to
             *     fal's CDN. Adds latency but keeps the image out of the CDN and request history.
             * @default false
             */
            sync_mode?: boolean;
        };
        /** @description Output of `fal-ai/ideogram/upscale`. */
        UpscaleOutput: {
            /** @description The upscaled image(s). */
            images: components["schemas"]["File"][];
            /**
             * @description Seed used for the random number generator.
             * @example 123456
             */
            seed: number;
        };
        /** @description A file produced by the model. */
        File: {
            /**
             * Format: uri
             * @description Where to download the file (fal CDN URL), or a `data:` URI when `sync_mode` was true.
             */
            url: string;
            /**
             * @description MIME type of the file.
             * @example image/png
             */
            content_type?: string;
            /**
             * @description File name.
             * @example image.png
             */
            file_name?: string;
            /**
             * @description Size in bytes.
             * @example 6548418
             */
            file_size?: number;
            /** @description Image width in pixels. */
            width?: number;
            /** @description Image height in pixels. */
            height?: number;
        };
        /** @description fal's plain error body (authentication, balance, rate limit, lookup errors). */
        ErrorResponse: {
            /** @description Human-readable reason. */
            detail: string;
        };
        /** @description Validation or model error body (HTTP 422). */
        ValidationErrorResponse: {
            /** @description One entry per problem. */
            detail: components["schemas"]["ValidationErrorItem"][];
        };
        /** @description One validation or model error. */
        ValidationErrorItem: {
            /** @description Path to the offending input, e.g. `["body", "image_url"]`. */
            loc: (string | number)[];
            /** @description Human-readable message. */
            msg: string;
            /** @description Error type, e.g. `missing`, `content_policy_violation`, `file_download_error`, `image_too_large`. */
            type: string;
            /**
             * Format: uri
             * @description Documentation link for this error type.
             */
            url?: string;
            /** @description Extra context for the error (e.g. size limits). */
            ctx?: {
                [key: string]: unknown;
            };
            /** @description The offending input value, when available. */
            input?: unknown;
        };
        /** @description Infrastructure error body (5xx); `error_type` is also sent as the `X-Fal-Error-Type` header. */
        InfraErrorResponse: {
            /** @description Human-readable reason. */
            detail: string;
            /**
             * @description Machine-readable type. Listed by docs/providers.md: `internal_error` (500),
             *     `runner_incomplete_response` (502), `runner_scheduling_failure` (503),
             *     `request_timeout` (504). fal may send other values.
             */
            error_type: string;
        };
        /** @description The ticket `submitUpscale` returns. The `*_url` fields use the short form, without `/upscale`. */
        QueueSubmitResponse: {
            /**
             * @description Always `IN_QUEUE` on submit.
             * @enum {string}
             */
            status: "IN_QUEUE";
            /** @description fal's id for the run. */
            request_id: string;
            /**
             * Format: uri
             * @description Where to GET the result (`getRequestResult`).
             */
            response_url: string;
            /**
             * Format: uri
             * @description Where to GET the status (`getRequestStatus`).
             */
            status_url: string;
            /**
             * Format: uri
             * @description Where to PUT a cancellation (`cancelRequest`).
             */
            cancel_url: string;
            /** @description Runs ahead of this one in the queue (0 = next). */
            queue_position: number;
        };
        /** @description A run's status; `status` tells which of the three shapes it is. */
        QueueStatus: components["schemas"]["InQueueStatus"] | components["schemas"]["InProgressStatus"] | components["schemas"]["CompletedStatus"];
        /** @description Waiting in the queue. */
        InQueueStatus: {
            /**
             * @description The run is waiting for a runner. (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            status: "IN_QUEUE";
            /** @description fal's id for the run. */
            request_id: string;
            /**
             * Format: uri
             * @description Where to GET the result (short form).
             */
            response_url: string;
            /**
             * Format: uri
             * @description Where to GET the status (short form).
             */
            status_url: string;
            /**
             * Format: uri
             * @description Where to PUT a cancellation (short form).
             */
            cancel_url: string;
            /** @description Runs ahead of this one in the queue (0 = next). */
            queue_position: number;
        };
        /** @description Running on a runner. */
        InProgressStatus: {
            /**
             * @description The run has started. (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            status: "IN_PROGRESS";
            /** @description fal's id for the run. */
            request_id: string;
            /**
             * Format: uri
             * @description Where to GET the result (short form).
             */
            response_url: string;
            /**
             * Format: uri
             * @description Where to GET the status (short form).
             */
            status_url: string;
            /**
             * Format: uri
             * @description Where to PUT a cancellation (short form).
             */
            cancel_url: string;
            /** @description The run's log lines so far; null unless the status was requested with `logs=1`. */
            logs: components["schemas"]["RequestLog"][] | null;
        };
        /**
         * @description Finished, successfully or not (there is no FAILED status). On failure `error` and
         *     `error_type` may be set; the result GET returns the error either way.
         */
        CompletedStatus: {
            /**
             * @description The run has ended. (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            status: "COMPLETED";
            /** @description fal's id for the run. */
            request_id: string;
            /**
             * Format: uri
             * @description Where to GET the result or error (short form).
             */
            response_url: string;
            /**
             * Format: uri
             * @description Where to GET the status (short form).
             */
            status_url: string;
            /**
             * Format: uri
             * @description Where to PUT a cancellation (short form).
             */
            cancel_url: string;
            /** @description The run's log lines; null unless the status was requested with `logs=1`. */
            logs: components["schemas"]["RequestLog"][] | null;
            metrics?: components["schemas"]["Metrics"];
            /** @description Why the run failed, when it did. */
            error?: string;
            /** @description Machine-readable failure type, when the run failed. */
            error_type?: string;
        };
        /** @description One log line of a run. */
        RequestLog: {
            /** @description The log text. */
            message: string;
            /**
             * @description Severity, or the stream the line came from.
             * @enum {string}
             */
            level: "INFO" | "WARN" | "ERROR" | "DEBUG" | "STDOUT" | "STDERR";
            /**
             * @description Where the line came from; always `USER` (the model's own output).
             * @enum {string}
             */
            source: "USER";
            /** @description When the line was logged, as an ISO 8601 date-time string. */
            timestamp: string;
        };
        /** @description Measurements of a completed run. */
        Metrics: {
            /** @description Seconds the model spent running; null when not measured (e.g. the run never started). */
            inference_time: number | null;
        };
        /** @description Outcome of a cancellation request. */
        CancelResponse: {
            /**
             * @description `CANCELLATION_REQUESTED` (accepted), `ALREADY_COMPLETED` (too late) or `NOT_FOUND` (unknown id).
             * @enum {string}
             */
            status: "CANCELLATION_REQUESTED" | "ALREADY_COMPLETED" | "NOT_FOUND";
        };
        /** @description Describes the file about to be uploaded. */
        StorageInitiateRequest: {
            /**
             * @description MIME type of the file; send the same value as `Content-Type` on the PUT.
             * @example image/png
             */
            content_type: string;
            /**
             * @description Name of the file; it appears at the end of `file_url`.
             * @example input.png
             */
            file_name: string;
        };
        /** @description Where to upload and where the file will live. */
        StorageInitiateResponse: {
            /**
             * Format: uri
             * @description Opaque, one-off URL to `PUT` the raw bytes to.
             */
            upload_url: string;
            /**
             * Format: uri
             * @description Public URL of the file once the PUT succeeded; usable as `image_url`.
             */
            file_url: string;
        };
        /** @description Body fal POSTs to `fal_webhook`; one of three shapes. */
        WebhookPayload: components["schemas"]["WebhookOkPayload"] | components["schemas"]["WebhookErrorPayload"] | components["schemas"]["WebhookPayloadErrorPayload"];
        /** @description The run succeeded. */
        WebhookOkPayload: {
            /** @description The run's request id. */
            request_id: string;
            /** @description fal gateway's id for the request that produced the outcome. */
            gateway_request_id: string;
            /**
             * @description The run succeeded.
             * @enum {string}
             */
            status: "OK";
            payload: components["schemas"]["UpscaleOutput"];
        };
        /** @description The run ended with an error; `payload` is the error body the result GET would return. */
        WebhookErrorPayload: {
            /** @description The run's request id. */
            request_id: string;
            /** @description fal gateway's id for the request that produced the outcome. */
            gateway_request_id: string;
            /**
             * @description The run failed.
             * @enum {string}
             */
            status: "ERROR";
            /** @description Summary, e.g. `Invalid status code: 422`. */
            error: string;
            /** @description The error body (422 validation/model error or infrastructure error). */
            payload: components["schemas"]["ValidationErrorResponse"] | components["schemas"]["InfraErrorResponse"];
        };
        /** @description The output could not be serialized into the webhook body; fetch it with the result GET. */
        WebhookPayloadErrorPayload: {
            /** @description The run's request id. */
            request_id: string;
            /** @description fal gateway's id for the request that produced the outcome. */
            gateway_request_id: string;
            /**
             * @description Status sent alongside a serialization failure.
             * @enum {string}
             */
            status: "OK";
            /** @description Always null in this shape. */
            payload: null;
            /** @description Why the output could not be included. */
            payload_error: string;
        };
    };
    responses: {
        /** @description Missing, malformed or unknown API key. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "No user found for Key ID and Secret"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The account may not run models, typically because its balance is exhausted. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing."
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /**
         * @description The input was invalid or the model rejected it. `detail` lists each problem; its `type`
         *     says which (`missing`, `content_policy_violation`, `file_download_error`,
         *     `image_too_large`, ...). `X-Fal-Retryable` says whether a retry can help.
         */
        ValidationError: {
            headers: {
                "X-Fal-Retryable": components["headers"]["XFalRetryable"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ValidationErrorResponse"];
            };
        };
        /** @description Rate or concurrency limit reached; the request may be retried later. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Too many requests. Please slow down."
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Unexpected failure inside fal (`error_type` `internal_error`). */
        InternalError: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example internal_error
                 */
                "X-Fal-Error-Type"?: "internal_error";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Internal server error",
                 *       "error_type": "internal_error"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /** @description The runner hosting the model stopped before sending a complete response (`runner_incomplete_response`). */
        RunnerIncompleteResponse: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example runner_incomplete_response
                 */
                "X-Fal-Error-Type"?: "runner_incomplete_response";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "The runner returned an incomplete response.",
                 *       "error_type": "runner_incomplete_response"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /** @description fal could not schedule a runner for the model (`runner_scheduling_failure`); retryable. */
        RunnerSchedulingFailure: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example runner_scheduling_failure
                 */
                "X-Fal-Error-Type"?: "runner_scheduling_failure";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Failed to schedule a runner for the request.",
                 *       "error_type": "runner_scheduling_failure"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /**
         * @description The run did not start within `x-fal-request-timeout` seconds (`request_timeout`);
         *     `X-Fal-Request-Timeout-Type: user` says the caller's own limit was hit.
         */
        RequestTimeout: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example request_timeout
                 */
                "X-Fal-Error-Type"?: "request_timeout";
                /**
                 * @description Which timeout expired; `user` means the `x-fal-request-timeout` the caller sent.
                 * @example user
                 */
                "X-Fal-Request-Timeout-Type"?: "user";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Request timed out",
                 *       "error_type": "request_timeout"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /** @description Rate or concurrency limit reached on a queue read; retry after `Retry-After` seconds. */
        InferredTooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Too many requests. Please slow down."
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Unexpected failure inside fal (`error_type` `internal_error`). */
        InferredInternalError: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example internal_error
                 */
                "X-Fal-Error-Type"?: "internal_error";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Internal server error",
                 *       "error_type": "internal_error"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /** @description fal is unavailable (outage); retryable. */
        InferredServiceUnavailable: {
            headers: {
                /**
                 * @description Machine-readable infrastructure error type.
                 * @example runner_scheduling_failure
                 */
                "X-Fal-Error-Type"?: "runner_scheduling_failure";
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Failed to schedule a runner for the request.",
                 *       "error_type": "runner_scheduling_failure"
                 *     }
                 */
                "application/json": components["schemas"]["InfraErrorResponse"];
            };
        };
        /** @description The request body or a query parameter is invalid; `detail` lists each problem. */
        InferredValidationError: {
            headers: {
                "X-Fal-Retryable": components["headers"]["XFalRetryable"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": [
                 *         {
                 *           "loc": [
                 *             "body",
                 *             "file_name"
                 *           ],
                 *           "msg": "Field required",
                 *           "type": "missing"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["ValidationErrorResponse"];
            };
        };
        /** @description No request with this id (for this model and key). */
        RequestNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Request not found"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The run's current status. */
        QueueStatus: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["QueueStatus"];
            };
        };
        /**
         * @description A Server-Sent Events stream. Each event is `data: <QueueStatus JSON>` followed by a blank
         *     line (schema `QueueStatus`); the last event is the COMPLETED status, then the stream closes.
         */
        QueueStatusStream: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example data: {"status":"IN_QUEUE","request_id":"764cabcf-b745-4b3e-ae38-1200304cf45b","response_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b","status_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status","cancel_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/cancel","queue_position":0}
                 *
                 *     data: {"status":"IN_PROGRESS","request_id":"764cabcf-b745-4b3e-ae38-1200304cf45b","response_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b","status_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status","cancel_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/cancel","logs":[{"message":"Upscaling image...","level":"INFO","source":"USER","timestamp":"2026-01-15T10:24:03.512345"}]}
                 *
                 *     data: {"status":"COMPLETED","request_id":"764cabcf-b745-4b3e-ae38-1200304cf45b","response_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b","status_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status","cancel_url":"https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/cancel","logs":[{"message":"Upscaling image...","level":"INFO","source":"USER","timestamp":"2026-01-15T10:24:03.512345"}],"metrics":{"inference_time":7.69}}
                 */
                "text/event-stream": string;
            };
        };
        /** @description The run succeeded; its output. */
        UpscaleResult: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "images": [
                 *         {
                 *           "url": "https://fal.media/files/lion/DxTSV6683MLl4VPAVUHR3_image.png",
                 *           "content_type": "image/png",
                 *           "file_name": "image.png",
                 *           "file_size": 6548418
                 *         }
                 *       ],
                 *       "seed": 123456
                 *     }
                 */
                "application/json": components["schemas"]["UpscaleOutput"];
            };
        };
        /** @description The run has not COMPLETED yet; poll the status first. */
        ResultNotReady: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "detail": "Request is still in progress"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Cancellation accepted. */
        CancellationRequested: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "status": "CANCELLATION_REQUESTED"
                 *     }
                 */
                "application/json": components["schemas"]["CancelResponse"];
            };
        };
        /** @description The run has already finished and cannot be cancelled. */
        CancelAlreadyCompleted: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "status": "ALREADY_COMPLETED"
                 *     }
                 */
                "application/json": components["schemas"]["CancelResponse"];
            };
        };
        /** @description No request with this id. */
        CancelNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "status": "NOT_FOUND"
                 *     }
                 */
                "application/json": components["schemas"]["CancelResponse"];
            };
        };
    };
    parameters: {
        /**
         * @description Seconds fal may spend before the run starts (queue wait, retries and routing included).
         *     If the run has not started in time the request ends with 504, `error_type`
         *     `request_timeout` and `X-Fal-Request-Timeout-Type: user`. Does not limit the run itself.
         * @example 30
         */
        RequestTimeout: number;
        /**
         * @description Asks fal not to retry the request on its side after a retryable failure.
         * @example 1
         */
        NoRetry: string;
        /**
         * @description The `request_id` returned by `submitUpscale`.
         * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
         */
        RequestId: string;
        /**
         * @description `1` to include the run's logs in IN_PROGRESS and COMPLETED statuses; otherwise `logs` is null.
         * @example 1
         */
        Logs: 0 | 1;
        /**
         * @description URL fal POSTs the run's outcome to when it ends (see the `upscaleResult` webhook).
         * @example https://example.com/hooks/fal
         */
        FalWebhook: string;
        /**
         * @description Priority of the run in the queue.
         * @example normal
         */
        QueuePriority: "low" | "normal";
    };
    requestBodies: {
        /** @description The model input. */
        UpscaleInput: {
            content: {
                "application/json": components["schemas"]["UpscaleInput"];
            };
        };
    };
    headers: {
        /**
         * @description fal's id for this request (the same value as `request_id` in queue responses).
         * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
         */
        XFalRequestId: string;
        /**
         * @description Whether sending the same request again may succeed (`true`) or will fail the same way
         *     (`false`, e.g. content policy, unreachable or oversized input).
         * @example false
         */
        XFalRetryable: "true" | "false";
        /**
         * @description Seconds to wait before retrying.
         * @example 1
         */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    submitUpscale: {
        parameters: {
            query?: {
                /**
                 * @description URL fal POSTs the run's outcome to when it ends (see the `upscaleResult` webhook).
                 * @example https://example.com/hooks/fal
                 */
                fal_webhook?: components["parameters"]["FalWebhook"];
            };
            header?: {
                /**
                 * @description Priority of the run in the queue.
                 * @example normal
                 */
                "x-fal-queue-priority"?: components["parameters"]["QueuePriority"];
                /**
                 * @description Seconds fal may spend before the run starts (queue wait, retries and routing included).
                 *     If the run has not started in time the request ends with 504, `error_type`
                 *     `request_timeout` and `X-Fal-Request-Timeout-Type: user`. Does not limit the run itself.
                 * @example 30
                 */
                "x-fal-request-timeout"?: components["parameters"]["RequestTimeout"];
                /**
                 * @description Asks fal not to retry the request on its side after a retryable failure.
                 * @example 1
                 */
                "x-fal-no-retry"?: components["parameters"]["NoRetry"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["UpscaleInput"];
        responses: {
            /** @description The run is queued. */
            200: {
                headers: {
                    "x-fal-request-id": components["headers"]["XFalRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "IN_QUEUE",
                     *       "request_id": "764cabcf-b745-4b3e-ae38-1200304cf45b",
                     *       "response_url": "https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b",
                     *       "status_url": "https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status",
                     *       "cancel_url": "https://queue.fal.run/fal-ai/ideogram/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/cancel",
                     *       "queue_position": 0
                     *     }
                     */
                    "application/json": components["schemas"]["QueueSubmitResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["RunnerIncompleteResponse"];
            503: components["responses"]["RunnerSchedulingFailure"];
            504: components["responses"]["RequestTimeout"];
        };
    };
    getRequestStatus: {
        parameters: {
            query?: {
                /**
                 * @description `1` to include the run's logs in IN_PROGRESS and COMPLETED statuses; otherwise `logs` is null.
                 * @example 1
                 */
                logs?: components["parameters"]["Logs"];
            };
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["QueueStatus"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    getRequestStatusLong: {
        parameters: {
            query?: {
                /**
                 * @description `1` to include the run's logs in IN_PROGRESS and COMPLETED statuses; otherwise `logs` is null.
                 * @example 1
                 */
                logs?: components["parameters"]["Logs"];
            };
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["QueueStatus"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    streamRequestStatus: {
        parameters: {
            query?: {
                /**
                 * @description `1` to include the run's logs in IN_PROGRESS and COMPLETED statuses; otherwise `logs` is null.
                 * @example 1
                 */
                logs?: components["parameters"]["Logs"];
            };
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["QueueStatusStream"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    streamRequestStatusLong: {
        parameters: {
            query?: {
                /**
                 * @description `1` to include the run's logs in IN_PROGRESS and COMPLETED statuses; otherwise `logs` is null.
                 * @example 1
                 */
                logs?: components["parameters"]["Logs"];
            };
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["QueueStatusStream"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    getRequestResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UpscaleResult"];
            400: components["responses"]["ResultNotReady"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["RunnerIncompleteResponse"];
            503: components["responses"]["RunnerSchedulingFailure"];
            504: components["responses"]["RequestTimeout"];
        };
    };
    getRequestResultLong: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UpscaleResult"];
            400: components["responses"]["ResultNotReady"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["RequestNotFound"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["RunnerIncompleteResponse"];
            503: components["responses"]["RunnerSchedulingFailure"];
            504: components["responses"]["RequestTimeout"];
        };
    };
    cancelRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["CancellationRequested"];
            400: components["responses"]["CancelAlreadyCompleted"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["CancelNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    cancelRequestLong: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `request_id` returned by `submitUpscale`.
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                request_id: components["parameters"]["RequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["CancellationRequested"];
            400: components["responses"]["CancelAlreadyCompleted"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["CancelNotFound"];
            429: components["responses"]["InferredTooManyRequests"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    initiateUpload: {
        parameters: {
            query?: {
                /**
                 * @description Storage backend for the file; fal's client always sends `fal-cdn-v3`.
                 * @example fal-cdn-v3
                 */
                storage_type?: "fal-cdn-v3";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description What is about to be uploaded. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "content_type": "image/png",
                 *       "file_name": "input.png"
                 *     }
                 */
                "application/json": components["schemas"]["StorageInitiateRequest"];
            };
        };
        responses: {
            /** @description Where to PUT the bytes and where the file will be served. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "upload_url": "https://v3.fal.media/files/upload/rabbit/Xk2mP9qLw8ZtR4yV1nB7c_input.png?signature=9f2c4e7a1b",
                     *       "file_url": "https://v3.fal.media/files/rabbit/Xk2mP9qLw8ZtR4yV1nB7c_input.png"
                     *     }
                     */
                    "application/json": components["schemas"]["StorageInitiateResponse"];
                };
            };
            /** @description Missing, malformed or unknown API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "No user found for Key ID and Secret"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            422: components["responses"]["InferredValidationError"];
            500: components["responses"]["InferredInternalError"];
            503: components["responses"]["InferredServiceUnavailable"];
        };
    };
    upscaleResultWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The run's request id (signed; equals `request_id` in the body).
                 * @example 764cabcf-b745-4b3e-ae38-1200304cf45b
                 */
                "X-Fal-Webhook-Request-Id": string;
                /**
                 * @description The fal user the run belongs to (signed).
                 * @example github|4891234
                 */
                "X-Fal-Webhook-User-Id": string;
                /**
                 * @description When fal sent this delivery, in Unix seconds (signed).
                 * @example 1767225600
                 */
                "X-Fal-Webhook-Timestamp": string;
                /**
                 * @description Hex-encoded Ed25519 signature (64 bytes) over the message described above.
                 * @example 3b1f0c9a7d5e2f4a6c8b0e1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e
                 */
                "X-Fal-Webhook-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description The run's outcome. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Delivery accepted; the body is ignored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
