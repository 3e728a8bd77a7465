/**
 * Generated from specs/onemin.yaml by `npm run generate` (openapi-typescript). Do not edit.
 */

export interface paths {
    "/api/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a source image as a 1min.ai asset.
         * @description Stores one image (multipart part `asset`; JPEG, PNG or WebP, at most 10 MB) in 1min.ai's
         *     asset storage. The answer's `fileContent.path` (identical to `asset.key`) is a relative
         *     asset key, and is what `POST /api/features` takes as `promptObject.imageUrl`.
         */
        post: operations["uploadAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the Ideogram 3 upscaler on an image and wait for the result.
         * @description Runs feature `IMAGE_UPSCALER` with model `ideogram-3` on `promptObject.imageUrl` (an asset
         *     key from `POST /api/assets`, or an absolute URL). The request blocks until the run has
         *     finished: no task id is returned and nothing is polled. Runs typically take 10–60 s;
         *     clients allow 120 s before timing out, so set the HTTP timeout at least that long.
         *     The output is up to 2x the input resolution. `aiRecord.aiRecordDetail.resultObject` holds
         *     relative asset keys, not URLs (see `AiRecordDetail`).
         */
        post: operations["runFeature"];
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
        /** @description Multipart body of `POST /api/assets`. */
        AssetUploadRequest: {
            /**
             * Format: binary
             * @description The image file to store; JPEG, PNG or WebP, at most 10 MB (10,485,760 bytes).
             */
            asset: string;
        };
        /** @description The stored asset and its file record. */
        AssetUploadResponse: {
            asset: components["schemas"]["Asset"];
            fileContent: components["schemas"]["FileContent"];
        };
        /**
         * @description The stored object. docs/providers.md documents `key`, `location`, `mimetype` and `size` and
         *     notes that more fields follow; those are undocumented and allowed as additional properties.
         */
        Asset: {
            /** @description Relative asset key of the stored file (e.g. `images/2026_04_15_10_30_00_123_photo.png`); equal to `fileContent.path`. */
            key: string;
            /**
             * Format: uri
             * @description Absolute URL of the stored object in 1min.ai's asset storage, an S3 bucket (the Asset
             *     API's example: `https://asset.1min.ai.s3.us-east-1.amazonaws.com/images/…`); it may not
             *     be publicly readable.
             */
            location: string;
            /**
             * @description MIME type of the stored image.
             * @enum {string}
             */
            mimetype: "image/jpeg" | "image/png" | "image/webp";
            /** @description Size of the stored file in bytes (at most 10 MB). */
            size: number;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description 1min.ai's file record for the upload. docs/providers.md documents `uuid`, `path`, `type`,
         *     `name`, `status` and `createdAt`; any other field is undocumented and allowed.
         */
        FileContent: {
            /**
             * Format: uuid
             * @description Id of the file record.
             */
            uuid: string;
            /** @description Relative asset key of the file (equal to `asset.key`); pass it as `promptObject.imageUrl` to `POST /api/features`. */
            path: string;
            /** @description Kind of file, as its extension (the Asset API's example says `png`). */
            type: string;
            /**
             * @description Name of the stored file: the key's last segment, the upload's name behind a timestamp
             *     (the Asset API's example: `2024_09_30_13_38_59_100_example.png` for `example.png`).
             */
            name: string;
            /**
             * @description State of the file record; `ACTIVE` once stored and usable.
             * @enum {string}
             */
            status: "ACTIVE";
            /**
             * Format: date-time
             * @description When the file record was created.
             */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        /** @description Body of `POST /api/features` for the Ideogram 3 upscaler. */
        FeatureRequest: {
            /**
             * @description Feature type; must be `IMAGE_UPSCALER`.
             * @enum {string}
             */
            type: "IMAGE_UPSCALER";
            /**
             * @description Model; must be `ideogram-3`.
             * @enum {string}
             */
            model: "ideogram-3";
            promptObject: components["schemas"]["PromptObject"];
        };
        /** @description Upscale parameters (Ideogram's upscale fields under 1min.ai's names). */
        PromptObject: {
            /**
             * @description The source image: an asset key from `POST /api/assets` (`fileContent.path`, e.g.
             *     `images/2026_04_15_10_30_00_123_photo.png`) or an absolute URL. JPEG, PNG or WebP,
             *     at most 10 MB.
             */
            imageUrl: string;
            /** @description Number of upscaled variations to generate (1–8); each counts against credit. */
            num_images: number;
            /** @description Optional guiding prompt to steer the upscale. */
            prompt?: string;
            /**
             * @description Whether to automatically enhance the guiding prompt.
             * @default AUTO
             * @enum {string}
             */
            magic_prompt_option?: "AUTO" | "ON" | "OFF";
            /**
             * @description How closely the upscaled image should match the original (0–100; Ideogram itself documents 1–100).
             * @default 50
             */
            resemblance?: number;
            /**
             * @description Level of fine detail to add during upscaling (0–100; Ideogram itself documents 1–100).
             * @default 50
             */
            detail?: number;
            /** @description Random seed for reproducible results. */
            seed?: number;
        };
        /** @description Answer of `POST /api/features` once the run has finished. */
        FeatureResponse: {
            aiRecord: components["schemas"]["AiRecord"];
            /**
             * Format: uri
             * @description Optional signed, expiring URL of the first result in 1min.ai's asset storage; use it
             *     (or resolve `resultObject` keys) because the results are relative keys.
             */
            temporaryUrl?: string;
        };
        /** @description 1min.ai's record of the run. */
        AiRecord: {
            /**
             * Format: uuid
             * @description Id of the record.
             */
            uuid: string;
            /**
             * @description Model that ran.
             * @enum {string}
             */
            model: "ideogram-3";
            /**
             * @description Feature type that ran.
             * @enum {string}
             */
            type: "IMAGE_UPSCALER";
            /**
             * @description Outcome of the run; `SUCCESS` is documented, `FAILED` is this project's assumption for a failed run.
             * @enum {string}
             */
            status: "SUCCESS" | "FAILED";
            aiRecordDetail: components["schemas"]["AiRecordDetail"];
        };
        /** @description Input and output of the run. */
        AiRecordDetail: {
            promptObject: components["schemas"]["PromptObject"];
            /**
             * @description The stored results as **relative asset keys** (e.g.
             *     `development/images/2026_04_15_upscale_result.png`), not URLs. Resolve them via
             *     `temporaryUrl` or 1min.ai's asset storage (`https://asset.1min.ai/<key>` in 3p clients).
             */
            resultObject: string[];
            responseObject: components["schemas"]["UpscaleResponseObject"];
        };
        /** @description Ideogram's upscale response, passed through by 1min.ai. */
        UpscaleResponseObject: {
            /**
             * Format: date-time
             * @description When Ideogram produced the result.
             */
            created: string;
            /** @description One entry per upscaled image. */
            data: components["schemas"]["ImageObject"][];
        };
        /** @description One upscaled image as Ideogram describes it. */
        ImageObject: {
            /**
             * @description Ideogram's ephemeral URL of the image (expires after about 24 h); null or empty when
             *     `is_image_safe` is false.
             */
            url: string | null;
            /** @description Prompt used for the upscale (empty when none was given). */
            prompt: string;
            /** @description Input resolution, `WxH`. */
            resolution: string;
            /** @description Output resolution, `WxH` (up to 2x the input). */
            upscaled_resolution: string;
            /** @description False when Ideogram's safety check flagged the image. */
            is_image_safe: boolean;
            /** @description Seed used for this image. */
            seed: number;
        };
        /** @description Error body on every 4xx/5xx. */
        ErrorResponse: {
            /** @description Human-readable error message. */
            message: string;
        };
    };
    responses: {
        /** @description The upload is invalid (no `asset` part, or not a JPEG, PNG or WebP image). */
        AssetBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The feature request is invalid (missing or out-of-range field, unknown type or model, unknown asset key). */
        FeatureBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The `API-KEY` header is missing or the key is not valid. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The account has run out of credit for this run. */
        PaymentRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The uploaded image is larger than 10 MB. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description More than 180 requests in a minute for this key. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description 1min.ai or the upstream model failed unexpectedly. */
        InternalServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description 1min.ai is down or overloaded; retry later. */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /**
         * @description Seconds to wait before retrying.
         * @example 20
         */
        "Retry-After": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    uploadAsset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["AssetUploadRequest"];
            };
        };
        responses: {
            /** @description The image was stored; `fileContent.path` is the key to pass to the feature call. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetUploadResponse"];
                };
            };
            400: components["responses"]["AssetBadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    runFeature: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeatureRequest"];
            };
        };
        responses: {
            /**
             * @description The run has finished. `aiRecord.status` is `SUCCESS` with the results, or `FAILED`
             *     (inferred) when the run failed after the request was accepted.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureResponse"];
                };
            };
            400: components["responses"]["FeatureBadRequest"];
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
