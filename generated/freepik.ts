/**
 * Generated from specs/freepik.yaml by `npm run generate` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/v1/ai/image-upscaler": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List creative upscale tasks
         * @description Lists the creative upscaler tasks of the account with their task id and status.
         */
        get: operations["listUpscales"];
        put?: never;
        /**
         * Upscale an image with Magnific (creative)
         * @description This asynchronous endpoint enables image upscaling using advanced AI algorithms. Upon submission, it returns a unique `task_id` which can be used to track the progress of the upscaling process. For real-time production use, include the optional `webhook_url` parameter to receive an automated notification once the task has been completed. This allows for seamless integration and efficient task management without the need for continuous polling.
         */
        post: operations["createUpscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ai/image-upscaler/{task-id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the status of one creative upscale task
         * @description Returns the task with its current status; once `COMPLETED`, `generated` holds the URLs of the upscaled image(s). The URLs are signed and expire, so download them promptly.
         */
        get: operations["getUpscale"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ai/image-upscaler-precision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List precision upscale tasks
         * @description Lists the precision upscaler tasks of the account with their task id and status.
         */
        get: operations["listPrecisionUpscales"];
        put?: never;
        /**
         * Upscale an image with Magnific precision
         * @description Asynchronous faithful upscale: increases resolution while preserving the original content, texture and structure, without inventing new elements. Returns a `task_id` to poll, and notifies `webhook_url` (if given) at each status change.
         */
        post: operations["createPrecisionUpscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ai/image-upscaler-precision/{task-id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the status of one precision upscale task
         * @description Returns the task with its current status; once `COMPLETED`, `generated` holds the URLs of the upscaled image(s).
         */
        get: operations["getPrecisionUpscale"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ai/image-upscaler-precision-v2": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List precision V2 upscale tasks
         * @description Lists the precision V2 upscaler tasks of the account with their task id and status.
         */
        get: operations["listPrecisionV2Upscales"];
        put?: never;
        /**
         * Upscale an image with Magnific precision V2
         * @description Asynchronous faithful upscale with fine-grained controls for sharpness, grain and detail, a processing flavor and an integer scale factor from 2 to 16. Unlike the other two upscalers, `image` may be an HTTPS URL as well as base64. Returns a `task_id` to poll, and notifies `webhook_url` (if given) at each status change.
         */
        post: operations["createPrecisionV2Upscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ai/image-upscaler-precision-v2/{task-id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the status of one precision V2 upscale task
         * @description Returns the task with its current status; once `COMPLETED`, `generated` holds the URLs of the upscaled image(s).
         */
        get: operations["getPrecisionV2Upscale"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    taskStatusChanged: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Task status changed (sent to your webhook_url)
         * @description Freepik POSTs to the `webhook_url` given at submit each time the task's status changes. The
         *     body is the same task object the status call returns, without the `data` wrapper.
         *
         *     Verify the delivery before trusting it: compute
         *     `base64(HMAC-SHA256(key = the webhook secret as UTF-8 bytes, message = webhook-id + "." +
         *     webhook-timestamp + "." + raw body))` and compare it with each `v1,<signature>` entry of
         *     `webhook-signature`. Use the raw request bytes: parsing and re-serialising the JSON changes
         *     them and breaks the signature. Deliveries may arrive more than once; handle them
         *     idempotently by `webhook-id`.
         */
        post: operations["taskStatusChangedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description Body of the creative upscaler submit call. */
        CreativeUpscaleRequest: {
            /** @description Base64 image to upscale (the whole file, bare base64: no URL, no `data:` prefix). The resulted image can't exceed maximum allowed size of 25.3 million pixels. */
            image: string;
            /**
             * Format: uri
             * @description Optional callback URL that will receive asynchronous notifications whenever the task changes status. The payload sent to this URL is the same as the corresponding GET endpoint response, but without the data field.
             * @example https://www.example.com/webhook
             */
            webhook_url?: string;
            /**
             * @description Configure scale factor of the image. For higher scales, the image will take longer to process. Input pixels × scale² must stay within 25.3 million pixels.
             * @default 2x
             * @enum {string}
             */
            scale_factor?: "2x" | "4x" | "8x" | "16x";
            /**
             * @description Styles to optimize the upscale process.
             * @default standard
             * @enum {string}
             */
            optimized_for?: "standard" | "soft_portraits" | "hard_portraits" | "art_n_illustration" | "videogame_assets" | "nature_n_landscapes" | "films_n_photography" | "3d_renders" | "science_fiction_n_horror";
            /** @description Prompt to guide the upscale process. Reusing the same prompt for AI-generated images will improve the results. */
            prompt?: string;
            /**
             * @description Increase or decrease AI's creativity. Valid values range `[-10, 10]`, default `0`.
             * @default 0
             */
            creativity?: number;
            /**
             * @description Increase or decrease the level of definition and detail. Valid values range `[-10, 10]`, default `0`.
             * @default 0
             */
            hdr?: number;
            /**
             * @description Adjust the level of resemblance to the original image. Valid values range `[-10, 10]`, default `0`.
             * @default 0
             */
            resemblance?: number;
            /**
             * @description Control the strength of the prompt and intricacy per square pixel. Valid values range `[-10, 10]`, default `0`.
             * @default 0
             */
            fractality?: number;
            /**
             * @description Magnific model engines.
             * @default automatic
             * @enum {string}
             */
            engine?: "automatic" | "magnific_illusio" | "magnific_sharpy" | "magnific_sparkle";
            /** @description Whether Freepik applies its NSFW filter to the result. */
            filter_nsfw?: boolean;
        };
        /** @description Body of the precision upscaler submit call. */
        PrecisionUpscaleRequest: {
            /** @description Base64 image to upscale (the whole file, bare base64: no URL, no `data:` prefix). */
            image: string;
            /**
             * Format: uri
             * @description Optional callback URL that will receive asynchronous notifications whenever the task changes status, with the task object (without the data field) as body.
             * @example https://www.example.com/webhook
             */
            webhook_url?: string;
            /**
             * @description Sharpening intensity; higher values give crisper edges.
             * @default 50
             */
            sharpen?: number;
            /**
             * @description Smart grain / texture enhancement that keeps the result from looking artificially smooth.
             * @default 7
             */
            smart_grain?: number;
            /**
             * @description Level of fine detail added to textures, patterns and micro-details.
             * @default 30
             */
            ultra_detail?: number;
        };
        /** @description Body of the precision V2 upscaler submit call. */
        PrecisionV2UpscaleRequest: {
            /** @description Source image: a publicly reachable HTTPS URL of the image, or the image as bare base64 text. */
            image: string;
            /**
             * Format: uri
             * @description Optional callback URL that will receive asynchronous notifications whenever the task changes status, with the task object (without the data field) as body.
             * @example https://www.example.com/webhook
             */
            webhook_url?: string;
            /**
             * @description Sharpening intensity for edge definition and clarity; higher is sharper.
             * @default 7
             */
            sharpen?: number;
            /**
             * @description Smart grain / texture enhancement; higher adds more fine texture.
             * @default 7
             */
            smart_grain?: number;
            /**
             * @description Ultra detail enhancement level; higher generates more intricate detail.
             * @default 30
             */
            ultra_detail?: number;
            /**
             * @description Processing style: `sublime` for art and illustration, `photo` for photographs, `photo_denoiser` for noisy photos (adds denoising).
             * @enum {string}
             */
            flavor?: "sublime" | "photo" | "photo_denoiser";
            /** @description How many times each image dimension is multiplied (2 to 16). */
            scale_factor?: number;
        };
        /**
         * @description Task status. `IN_PROGRESS`: accepted and running (the documented answer to submit). `CREATED`: not in the documented enum; reported for tasks accepted on an account out of credit, which stay there forever. `COMPLETED`: `generated` holds the result URLs. `FAILED`: the run failed; `generated` is empty.
         * @enum {string}
         */
        TaskStatus: "CREATED" | "IN_PROGRESS" | "COMPLETED" | "FAILED";
        /** @description A task as the list calls show it. */
        Task: {
            /**
             * Format: uuid
             * @description Task identifier.
             */
            task_id: string;
            status: components["schemas"]["TaskStatus"];
        };
        /** @description A task with its results, as the submit and status calls show it. */
        TaskDetail: components["schemas"]["Task"] & {
            /** @description URLs of the generated images; empty until the task is COMPLETED. The URLs are signed and expire. */
            generated: string[];
        };
        /** @description Answer of the submit and status calls. */
        TaskResponse: {
            data: components["schemas"]["TaskDetail"];
        };
        /** @description Answer of the list calls. */
        TaskListResponse: {
            /** @description The account's tasks for this upscaler. */
            data: components["schemas"]["Task"][];
        };
        /** @description Webhook body; the TaskDetail object without the `data` wrapper. */
        WebhookPayload: components["schemas"]["TaskDetail"];
        /** @description Error body with a human-readable message. */
        ErrorMessage: {
            /** @description What went wrong. */
            message: string;
        };
        /** @description One parameter that failed validation. */
        InvalidParam: {
            /**
             * @description Name of the parameter.
             * @example page
             */
            name: string;
            /**
             * @description Why it is invalid.
             * @example Parameter 'page' must be greater than 0
             */
            reason: string;
        };
        /** @description Validation error body sent as `application/problem+json`. */
        ProblemDetails: {
            /**
             * @description Summary of the problem.
             * @example Your request parameters didn't validate.
             */
            message: string;
            /** @description The parameters that failed validation. */
            invalid_params: components["schemas"]["InvalidParam"][];
        };
    };
    responses: {
        /** @description OK - The request has succeeded and the upscaling process has started. The result will be notified by a Webhook call. */
        TaskSubmitted: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TaskResponse"];
            };
        };
        /** @description OK - The task, in whatever state it is now. */
        TaskStatus: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TaskResponse"];
            };
        };
        /** @description OK - The tasks of this upscaler. */
        TaskList: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TaskListResponse"];
            };
        };
        /** @description Bad Request - The server could not understand the request due to invalid syntax. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description Bad Request - The server could not understand the request due to invalid syntax, or the output would exceed 25.3 million pixels (input pixels × scale²). */
        CreativeBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description Unauthorized - The client must authenticate itself to get the requested response. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
            };
        };
        /** @description Not Found - No task with this id exists for this upscaler and account. */
        TaskNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
            };
        };
        /** @description Too Many Requests - Over 50 requests/s in a 5 s window, over 10 requests/s averaged over 2 minutes, or over the daily upscale quota. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
            };
        };
        /** @description Internal Server Error - The server has encountered a situation it doesn't know how to handle. */
        InternalServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
            };
        };
        /** @description Service Unavailable */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorMessage"];
            };
        };
    };
    parameters: {
        /**
         * @description The `task_id` returned by the submit call.
         * @example 046b6c7f-0b8a-43b9-b35d-6489e6daee91
         */
        TaskId: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Seconds to wait before sending another request.
         * @example 5
         */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listUpscales: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createUpscale: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreativeUpscaleRequest"];
            };
        };
        responses: {
            200: components["responses"]["TaskSubmitted"];
            400: components["responses"]["CreativeBadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUpscale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `task_id` returned by the submit call.
                 * @example 046b6c7f-0b8a-43b9-b35d-6489e6daee91
                 */
                "task-id": components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskStatus"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["TaskNotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listPrecisionUpscales: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createPrecisionUpscale: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrecisionUpscaleRequest"];
            };
        };
        responses: {
            200: components["responses"]["TaskSubmitted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getPrecisionUpscale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `task_id` returned by the submit call.
                 * @example 046b6c7f-0b8a-43b9-b35d-6489e6daee91
                 */
                "task-id": components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskStatus"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["TaskNotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listPrecisionV2Upscales: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createPrecisionV2Upscale: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrecisionV2UpscaleRequest"];
            };
        };
        responses: {
            200: components["responses"]["TaskSubmitted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getPrecisionV2Upscale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `task_id` returned by the submit call.
                 * @example 046b6c7f-0b8a-43b9-b35d-6489e6daee91
                 */
                "task-id": components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["TaskStatus"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["TaskNotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    taskStatusChangedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Identifier of this delivery; the first part of the signed message.
                 * @example 8f2c7e1a-5b3d-4c9e-a1f0-6d2b9e4c7a35
                 */
                "webhook-id": string;
                /**
                 * @description When the delivery was sent, in Unix seconds (decimal text); the second part of the signed message. Reject deliveries whose timestamp is too far from now to stop replays.
                 * @example 1743141769
                 */
                "webhook-timestamp": string;
                /**
                 * @description Space-separated list of `v1,<signature>` entries, each signature being base64(HMAC-SHA256(secret as UTF-8 bytes, `webhook-id.webhook-timestamp.rawBody`)). The example is the signature of the `completed` example body (serialised without spaces) with `webhook-id` and `webhook-timestamp` as in their examples and the secret `example-webhook-secret`.
                 * @example v1,Ik378k4wGNdbn0nVEwlxElfFGge19d6YY5Pl5sM4TGo=
                 */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Acknowledge the delivery; the body is ignored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other answer (or no answer) counts as a failed delivery, which Freepik retries with backoff. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
