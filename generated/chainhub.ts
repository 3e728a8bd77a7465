/**
 * Generated from specs/chainhub.yaml by `npm run generate` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/ideogram/upscale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an Ideogram upscale (task mode) or upscale synchronously (pass-through mode).
         * @description Uploads one JPEG, PNG or WebP image with optional Ideogram upscale settings. In task mode
         *     (chainhub's documented answer, the harness default) the response is a task envelope whose
         *     `data.task_id` is then polled with `GET /ideogram/upscale/{task_id}`. In pass-through mode
         *     (reseller copies and older chainhub Ideogram endpoints) the response is Ideogram's own
         *     synchronous body with the finished images. Results are up to 2x the input resolution.
         */
        post: operations["submitUpscale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ideogram/upscale/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query an upscale task's status and result.
         * @description Returns the task created by `POST /ideogram/upscale` in task mode. `task_status` moves
         *     `submitted` → `processing` → `succeed` | `failed`; on `failed` the envelope carries
         *     `task_status_msg`, on `succeed` it carries `task_result.images`. Result URLs live 24 hours.
         */
        get: operations["getUpscaleTask"];
        put?: never;
        post?: never;
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
        /** @description The multipart/form-data body of `POST /ideogram/upscale`, identical to Ideogram's `POST /upscale`. */
        UpscaleMultipartBody: {
            /**
             * @description JSON text (part content type `application/json`) holding the upscale settings; its
             *     shape is `UpscaleImageRequest`. Every field inside is optional, so `{}` is valid, but
             *     the part itself is required. Declared as a string because the wire carries the JSON
             *     as text.
             * @example {"resemblance":50,"magic_prompt_option":"AUTO","prompt":"A serene tropical beach","seed":12345,"detail":50}
             */
            image_request: string;
            /**
             * Format: binary
             * @description The image to upscale: JPEG, PNG or WebP. Maximum size 10 MB per Ideogram's OpenAPI
             *     document (the harness default), 25 MB per Ideogram's newer API page.
             */
            image_file: string;
        };
        /**
         * @description The settings carried as JSON text in the `image_request` part (Ideogram's upscale
         *     request). All fields are optional; omitted fields take the defaults shown.
         */
        UpscaleImageRequest: {
            /**
             * @description Optional prompt that guides the upscale.
             * @example A serene tropical beach with palm trees at sunset
             */
            prompt?: string;
            /**
             * @description How closely the result follows the input image (higher = closer).
             * @default 50
             */
            resemblance?: number;
            /**
             * @description How much fine detail the upscaler adds (higher = more).
             * @default 50
             */
            detail?: number;
            /**
             * @description Whether MagicPrompt rewrites the prompt before upscaling. Default `AUTO` as in
             *     Ideogram's OpenAPI.
             * @default AUTO
             * @enum {string}
             */
            magic_prompt_option?: "AUTO" | "ON" | "OFF";
            /**
             * @description Which MagicPrompt model version to use when MagicPrompt is on (Ideogram field, passed through).
             * @enum {string}
             */
            magic_prompt_version?: "V_0" | "V_0_1" | "V_0_2" | "V_0_3" | "V_0_4" | "V_0_5" | "V_0_6" | "V_0_7" | "V_0_8";
            /**
             * @description Number of upscaled images to produce.
             * @default 1
             */
            num_images?: number;
            /** @description Random seed for reproducible results; random when omitted. */
            seed?: number;
        };
        /** @description Task-mode answer to `POST /ideogram/upscale` (chainhub's generic task envelope, Kling's format). All fields are required. */
        TaskEnvelope: {
            /**
             * @description Business status code; 0 means the task was accepted.
             * @constant
             */
            code: 0;
            /** @description Human-readable status message. */
            message: string;
            /** @description chainhub's identifier of this HTTP request (for support). */
            request_id: string;
            /** @description The created task. */
            data: {
                /** @description Task identifier, used with `GET /ideogram/upscale/{task_id}`. */
                task_id: string;
                /**
                 * @description Task state; normally `submitted` right after creation.
                 * @enum {string}
                 */
                task_status: "submitted" | "processing" | "succeed" | "failed";
                /**
                 * Format: int64
                 * @description Task creation time, Unix milliseconds.
                 */
                created_at: number;
                /**
                 * Format: int64
                 * @description Time of the task's last state change, Unix milliseconds.
                 */
                updated_at: number;
            };
        };
        /** @description Answer to `GET /ideogram/upscale/{task_id}`; the task envelope with the task's result or failure reason. */
        TaskQueryEnvelope: {
            /**
             * @description Business status code; 0 means the query succeeded (whatever the task's state).
             * @constant
             */
            code: 0;
            /** @description Human-readable status message. */
            message: string;
            /** @description chainhub's identifier of this HTTP request (for support). */
            request_id: string;
            /** @description The task. `task_status_msg` is present when `failed`; `task_result` when `succeed`. */
            data: {
                /** @description Task identifier. */
                task_id: string;
                /**
                 * @description `submitted` → `processing` → `succeed` | `failed`.
                 * @enum {string}
                 */
                task_status: "submitted" | "processing" | "succeed" | "failed";
                /** @description Why the task failed; present when `task_status` is `failed`. */
                task_status_msg?: string;
                /**
                 * Format: int64
                 * @description Task creation time, Unix milliseconds.
                 */
                created_at: number;
                /**
                 * Format: int64
                 * @description Time of the task's last state change, Unix milliseconds.
                 */
                updated_at: number;
                /** @description The result; present when `task_status` is `succeed`. */
                task_result?: {
                    /** @description One entry per upscaled image. */
                    images: {
                        /**
                         * Format: uri
                         * @description Link to the upscaled image; lives 24 hours.
                         */
                        url: string;
                        /** @description Resolution of the input image, as `WIDTHxHEIGHT`. */
                        resolution: string;
                        /** @description Resolution of the upscaled image, as `WIDTHxHEIGHT` (up to 2x `resolution`). */
                        upscaled_resolution: string;
                    }[];
                };
            };
        };
        /**
         * @description Pass-through-mode answer to `POST /ideogram/upscale`: Ideogram's synchronous upscale body,
         *     as shown in a reseller copy of chainhub's document.
         */
        PassthroughUpscaleResponse: {
            /**
             * Format: date-time
             * @description When the request was created.
             */
            created: string;
            /** @description One ImageObject per requested image (`num_images`). */
            data: components["schemas"]["ImageObject"][];
        };
        /**
         * @description One upscaled image in pass-through mode (Ideogram's ImageObject). The reseller document's
         *     example omits `upscaled_resolution`, so it is optional here.
         */
        ImageObject: {
            /**
             * @description Link to the upscaled image (Ideogram's ephemeral
             *     `https://ideogram.ai/api/images/ephemeral/<id>.png?exp=<unix>&sig=<hex>` URLs), valid
             *     for about 24 hours. Null (or empty) when `is_image_safe` is false.
             */
            url: string | "" | null;
            /** @description The prompt used for the upscale; may differ from the request's prompt (e.g. after MagicPrompt). */
            prompt: string;
            /** @description Resolution of the input image, as `WIDTHxHEIGHT`. */
            resolution: string;
            /** @description Resolution of the upscaled image, as `WIDTHxHEIGHT` (up to 2x `resolution`). */
            upscaled_resolution?: string;
            /** @description Whether the result passed the safety check; when false, `url` is null or empty. */
            is_image_safe: boolean;
            /** @description Seed used for this image. */
            seed: number;
            /** @description Style type Ideogram applied, when it reports one (e.g. `GENERAL`, `REALISTIC`). */
            style_type?: string;
        };
        /** @description Error body for every non-2xx answer (the task envelope with a non-zero `code`). */
        ErrorEnvelope: {
            /** @description Non-zero business error code (e.g. 1000 auth failed, 1101 out of credit, 1200 bad parameters, 1203 not found, 1301 failed the content safety check, 1302 rate limited, 5000 internal error, 5001 unavailable, after Kling's table). */
            code: number;
            /** @description Human-readable error message. */
            message: string;
            /** @description chainhub's identifier of this HTTP request, when available. */
            request_id?: string;
        };
    };
    responses: {
        /** @description Invalid request (e.g. missing `image_file`, malformed `image_request` JSON, value out of range). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 1200,
                 *       "message": "Invalid request parameters",
                 *       "request_id": "8c3f1a6e-4b2d-4e9a-9f70-5a1c2e8d3b46"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Missing or invalid `Authorization: Bearer` key. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 1000,
                 *       "message": "Authentication failed",
                 *       "request_id": "1e9d7b3a-5c2f-4a86-b0e4-7d3a9c1f6e28"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The account is out of credit; top it up before retrying. */
        PaymentRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 1101,
                 *       "message": "Insufficient account balance. Top up your chainhub account and retry.",
                 *       "request_id": "5e1c7a9d-3b2f-4c68-a0d4-8f6b2e9c1a37"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description No task with this `task_id` (unknown, or expired). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 1203,
                 *       "message": "Task not found",
                 *       "request_id": "6b0a2e4c-7d91-4f3e-8c25-9e1b4d7a0f63"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Rate or concurrency limit reached; retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                /**
                 * @description Seconds to wait before retrying.
                 * @example 5
                 */
                "Retry-After": number;
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 1302,
                 *       "message": "Rate limit exceeded, please retry later",
                 *       "request_id": "2f8e6a1d-3c7b-4e05-a9d4-8b2c0f5e7a19"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Unexpected server error. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 5000,
                 *       "message": "Internal server error",
                 *       "request_id": "9a4c1e7f-2b6d-4f80-b3e5-0c8d2a6f1b74"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The service or the upstream Ideogram API is temporarily unavailable; retry later. */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": 5001,
                 *       "message": "Service temporarily unavailable, please retry later",
                 *       "request_id": "4d2b8f6a-1e9c-4a37-85f0-6a3e7c9b2d15"
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
    };
    parameters: {
        /**
         * @description chainhub's document marks the `Accept` header as required, with the value
         *     `application/json`; send exactly that. The schema accepts any Accept value that lists
         *     `application/json` (e.g. `application/json, text/plain, *\/*`), since the document gives
         *     only an example value. (OpenAPI 3.1 says tools may ignore header parameters named
         *     `Accept`; Prism does validate it.)
         * @example application/json
         */
        AcceptJson: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    submitUpscale: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description chainhub's document marks the `Accept` header as required, with the value
                 *     `application/json`; send exactly that. The schema accepts any Accept value that lists
                 *     `application/json` (e.g. `application/json, text/plain, *\/*`), since the document gives
                 *     only an example value. (OpenAPI 3.1 says tools may ignore header parameters named
                 *     `Accept`; Prism does validate it.)
                 * @example application/json
                 */
                Accept: components["parameters"]["AcceptJson"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description Multipart form with the JSON-text settings part and the image file part, exactly as Ideogram's `POST /upscale`. */
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UpscaleMultipartBody"];
            };
        };
        responses: {
            /**
             * @description Task mode (default): a `TaskEnvelope` with `code: 0` and the new task in `data`.
             *     Pass-through mode: Ideogram's synchronous `{created, data: [ImageObject]}` body.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskEnvelope"] | components["schemas"]["PassthroughUpscaleResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUpscaleTask: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description chainhub's document marks the `Accept` header as required, with the value
                 *     `application/json`; send exactly that. The schema accepts any Accept value that lists
                 *     `application/json` (e.g. `application/json, text/plain, *\/*`), since the document gives
                 *     only an example value. (OpenAPI 3.1 says tools may ignore header parameters named
                 *     `Accept`; Prism does validate it.)
                 * @example application/json
                 */
                Accept: components["parameters"]["AcceptJson"];
            };
            path: {
                /**
                 * @description The `data.task_id` returned by `POST /ideogram/upscale`.
                 * @example 9b2e4f71-5c3a-4d8e-a1f6-7e0c2d9b4a58
                 */
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task in its current state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskQueryEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
