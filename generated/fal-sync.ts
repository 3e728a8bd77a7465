/**
 * Generated from specs/fal-sync.yaml by `npm run generate` (openapi-typescript). Do not edit.
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
         * Upscale an image and wait for the result
         * @description Runs `fal-ai/ideogram/upscale` and keeps the HTTP connection open until the run ends. The
         *     image is fetched by fal from `image_url` (a public URL, a fal storage URL from
         *     `POST https://rest.fal.ai/storage/upload/initiate`, or a `data:` URI). On success the body
         *     is the model output; with `sync_mode: true` each image `url` is a
         *     `data:image/…;base64,` URI instead of a fal CDN URL. Failures of the model or of its input
         *     (content policy, unreachable `image_url`, image too large) come back as 422 with a
         *     `detail` list; failures of fal's infrastructure come back as 5xx with `error_type`.
         */
        post: operations["runUpscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
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
    runUpscale: {
        parameters: {
            query?: never;
            header?: {
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
            /** @description The run finished; the upscaled image(s) and the seed used. */
            200: {
                headers: {
                    "x-fal-request-id": components["headers"]["XFalRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpscaleOutput"];
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
}
