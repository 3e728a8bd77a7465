/**
 * Generated from specs/ideogram.yaml by `npm run generate` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/upscale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upscale an image synchronously (up to 2x).
         * @description Uploads one JPEG, PNG or WebP image (`image_file`) with optional settings
         *     (`image_request`, a JSON text part) and returns `num_images` upscaled versions, each up
         *     to twice the input resolution, in the response body. The call blocks until the images
         *     are ready. Result URLs are ephemeral (`…/ephemeral/<id>.png?exp=<unix>&sig=<hex>`) and
         *     expire after about 24 hours; download them if you need to keep them. An image that fails
         *     the output safety check comes back with `is_image_safe: false` and a null or empty `url`.
         */
        post: operations["upscaleImage"];
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
        /** @description The multipart/form-data body of `POST /upscale`. */
        UpscaleMultipartBody: {
            /**
             * @description JSON text (part content type `application/json`) holding the upscale settings; its
             *     shape is `UpscaleImageRequest`. Every field inside is optional, so `{}` is valid, but
             *     the part itself is required (as in Ideogram's OpenAPI). Declared as a string because
             *     the wire carries the JSON as text.
             * @example {"resemblance":50,"detail":50,"magic_prompt_option":"AUTO","num_images":1}
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
         * @description The settings carried as JSON text in the `image_request` part. All fields are optional;
         *     omitted fields take the defaults shown.
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
             * @description Which MagicPrompt model version to use when MagicPrompt is on.
             * @enum {string}
             */
            magic_prompt_version?: "V_0" | "V_0_1" | "V_0_2" | "V_0_3" | "V_0_4" | "V_0_5" | "V_0_6" | "V_0_7" | "V_0_8";
            /**
             * @description Number of upscaled images to return; each counts towards the in-flight limit.
             * @default 1
             */
            num_images?: number;
            /** @description Random seed for reproducible results; random when omitted. */
            seed?: number;
        };
        /** @description Successful upscale result. */
        UpscaleResponse: {
            /**
             * Format: date-time
             * @description When the request was created.
             */
            created: string;
            /** @description One ImageObject per requested image (`num_images`). */
            data: components["schemas"]["ImageObject"][];
        };
        /** @description One upscaled image. */
        ImageObject: {
            /**
             * @description Ephemeral link to the upscaled image
             *     (`https://ideogram.ai/api/images/ephemeral/<id>.png?exp=<unix>&sig=<hex>`), valid for
             *     about 24 hours. Null (or empty) when `is_image_safe` is false.
             */
            url: string | "" | null;
            /** @description The prompt used for the upscale; may differ from the request's prompt (e.g. after MagicPrompt). */
            prompt: string;
            /**
             * @description Resolution of the input image, as `WIDTHxHEIGHT`.
             * @example 1024x1024
             */
            resolution: string;
            /**
             * @description Resolution of the upscaled image, as `WIDTHxHEIGHT` (up to 2x `resolution`).
             * @example 2048x2048
             */
            upscaled_resolution: string;
            /** @description Whether the result passed the safety check; when false, `url` is null or empty. */
            is_image_safe: boolean;
            /** @description Seed used for this image. */
            seed: number;
            /** @description Style type Ideogram applied, when it reports one (e.g. `GENERAL`, `REALISTIC`). */
            style_type?: string;
        };
        /** @description Generic Ideogram error body. */
        ErrorResponse: {
            /** @description Human-readable error message. */
            error: string;
        };
        /** @description Body of a 402; `reject_reason` says which payment limit refused the request. */
        PaymentRequiredResponse: {
            /** @description Human-readable error message. */
            error: string;
            /**
             * @description `insufficient_funds`: out of credit; `daily_limit`: the daily spending limit is reached.
             * @enum {string}
             */
            reject_reason: "insufficient_funds" | "daily_limit";
        };
        /** @description Body of a 429; the organisation has too many images in flight. */
        InflightLimitResponse: {
            /** @description Human-readable error message. */
            error: string;
            /**
             * @description Always `inflight_limit`.
             * @constant
             */
            reject_reason: "inflight_limit";
            /** @description The organisation's in-flight limit (default 10 images), when reported. */
            max_inflight_requests?: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    upscaleImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Multipart form with the JSON-text settings part and the image file part. */
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UpscaleMultipartBody"];
            };
        };
        responses: {
            /**
             * @description The upscaled image(s). Each entry of `data` is one result; an entry that failed the
             *     safety check has `is_image_safe: false` and `url` null (or empty).
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpscaleResponse"];
                };
            };
            /** @description Invalid input, e.g. a malformed `image_request` JSON text, a value out of range, or an unsupported image format. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Invalid image_request: resemblance must be between 1 and 100."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The `Api-Key` header is missing or the key is not valid. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /**
             * @description Payment required: the organisation has run out of credit (`insufficient_funds`) or hit
             *     its daily spending limit (`daily_limit`).
             */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRequiredResponse"];
                };
            };
            /** @description The key is valid but not authorized for this endpoint. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Forbidden"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /**
             * @description `image_file` is too large. The limit is 10 MB in Ideogram's OpenAPI document (the
             *     harness default) and 25 MB on Ideogram's newer API page.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Image file is too large; the maximum size is 10 MB."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The input image or prompt failed Ideogram's safety check. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Prompt or initial image failed safety check."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /**
             * @description Too many requests in flight for the organisation. The default in-flight limit is 10
             *     images per organisation, and each image requested through `num_images` counts.
             */
            429: {
                headers: {
                    /**
                     * @description Seconds to wait before trying again.
                     * @example 2
                     */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Too many in-flight requests.",
                     *       "reject_reason": "inflight_limit",
                     *       "max_inflight_requests": 10
                     *     }
                     */
                    "application/json": components["schemas"]["InflightLimitResponse"];
                };
            };
            /** @description Unexpected server error; retry later. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Internal server error. Retry later."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The service is temporarily unavailable (outage); retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "Service temporarily unavailable. Retry later."
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
