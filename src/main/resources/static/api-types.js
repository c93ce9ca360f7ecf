// @ts-check
// The JSON of the API as the pages read it: types only, for the checker (tsc, see package.json);
// nothing here runs. Written from the contract (API.md) and the Java records that send it (named
// on each type). A field that Java may send as null says so. Pages take them with
// `/** @typedef {import('/api-types.js').Video} Video */`.

// Videos (catalog/VideoJson.java)

/**
 * Where a video is in its life (catalog/VideoStatus.java); READY and FAILED are final.
 * @typedef {'UPLOADING' | 'QUEUED' | 'PROCESSING' | 'READY' | 'FAILED'} VideoStatus
 */

/**
 * Who may watch a video (catalog/Visibility.java).
 * @typedef {'PUBLIC' | 'UNLISTED' | 'PRIVATE'} Visibility
 */

/**
 * @typedef {object} VideoOwner
 * @property {string} id
 * @property {string} username
 */

/**
 * An audio track (VideoJson.Audio).
 * @typedef {object} AudioTrack
 * @property {string} name its rendition, e.g. `audio/index.m3u8`
 * @property {string} language BCP 47, `und` when the source did not say
 * @property {string} label
 * @property {boolean} default the track players start with
 */

/**
 * A caption track of a video (VideoJson.Caption).
 * @typedef {object} CaptionTrack
 * @property {string} language BCP 47
 * @property {string} label
 * @property {string} url its whole WebVTT file (signed for a non-PUBLIC video)
 * @property {'uploaded' | 'embedded'} source uploaded by the owner, or taken from the video file
 */

/**
 * The Video JSON (VideoJson.java). The poster is `thumbnailUrl`; the storyboard has no field of
 * its own: it lies beside the master playlist (`storyboard.vtt`, see StreamQualities).
 * @typedef {object} Video
 * @property {string} id
 * @property {string} title
 * @property {string | null} description
 * @property {Visibility} visibility
 * @property {VideoStatus} status
 * @property {number} progress transcoding, 0..100
 * @property {number | null} durationSeconds
 * @property {number | null} width of the picture; null for audio only (and before it is known)
 * @property {number | null} height
 * @property {string | null} thumbnailUrl the poster, once READY (when the video has pictures)
 * @property {string[]} qualities rendition names, largest first: `["1080p", "720p", ...]`
 * @property {VideoOwner} owner
 * @property {string} createdAt ISO-8601
 * @property {string | null} error why it FAILED, a sentence fit for any viewer
 * @property {boolean} playable at least one rendition plays (READY, or PROCESSING with its first segments)
 * @property {AudioTrack[]} audioTracks
 * @property {CaptionTrack[]} captions none until READY
 * @property {boolean} downloadable the owner allows MP4 downloads
 */

/**
 * A page of `GET /api/gallery/videos` (GalleryController.Page).
 * @typedef {object} VideoPage
 * @property {Video[]} items
 * @property {number} page counted from 0
 * @property {number} size
 * @property {number} total of all pages
 */

/**
 * The data of the `status`, `progress` and `playable` events of `GET /api/gallery/videos/{id}/events`
 * (VideoEventStreams.StatusEvent).
 * @typedef {object} VideoStatusEvent
 * @property {string} id
 * @property {VideoStatus} status
 * @property {number} progress
 * @property {string | null} error
 * @property {boolean} playable
 */

/**
 * One event of that stream as app.js's followVideo hands it on, `(name, data)`. A `deleted`
 * event's data is the video's id: the server's as text, followVideo's own (a 404) as `{id}`.
 * @typedef {['status' | 'progress' | 'playable', VideoStatusEvent] | ['deleted', string | {id: string}]} VideoEvent
 */

/**
 * The answer of `POST /api/gallery/videos/{id}/captions` (CaptionController.CaptionJson).
 * @typedef {object} CaptionUploaded
 * @property {string} language
 * @property {string} label
 * @property {string} url
 */

// Streaming (streaming/internal/StreamController.java)

/**
 * One quality of `GET /api/stream/{id}/qualities` (StreamController.Quality).
 * @typedef {object} StreamQuality
 * @property {string} name e.g. `720p`
 * @property {number} width
 * @property {number} height
 * @property {number} bandwidth bits per second, as in the master playlist
 * @property {string} url its playlist
 * @property {string | null} downloadUrl its MP4 when the owner allows downloads
 */

/**
 * `GET /api/stream/{id}/qualities` (StreamController.Qualities).
 * @typedef {object} StreamQualities
 * @property {string} videoId
 * @property {string} masterUrl the HLS master playlist; `storyboard.vtt` lies beside it
 * @property {StreamQuality[]} qualities
 */

/**
 * The oEmbed 1.0 answer of `GET /api/oembed?format=json` (web/internal/OEmbedAnswer.java).
 * @typedef {object} OEmbed
 * @property {'video'} type
 * @property {'1.0'} version
 * @property {string} title
 * @property {string} author_name
 * @property {string} provider_name
 * @property {string} provider_url
 * @property {number} [cache_age]
 * @property {string} [thumbnail_url]
 * @property {number} [thumbnail_width]
 * @property {number} [thumbnail_height]
 * @property {string} html the iframe to paste
 * @property {number} width
 * @property {number} height
 */

// Accounts (auth/internal/AuthController.java, MfaController.java, TokenService.java)

/**
 * A session: `POST /api/auth/login` (without MFA), `/api/auth/mfa/verify`, `/api/auth/refresh`
 * (TokenService.Tokens).
 * @typedef {object} Tokens
 * @property {string} accessToken
 * @property {string} refreshToken
 * @property {number} expiresIn seconds the access token lives
 */

/**
 * The login answer for an account with MFA on: the code is asked next (AuthController.MfaChallenge).
 * @typedef {object} MfaChallenge
 * @property {true} mfaRequired
 * @property {string} mfaToken for `POST /api/auth/mfa/verify`
 */

/**
 * `POST /api/auth/login`: a session, or the MFA step.
 * @typedef {(Tokens & {mfaRequired?: false}) | MfaChallenge} LoginAnswer
 */

/**
 * `GET /api/auth/me` (AuthController.Me).
 * @typedef {object} Me
 * @property {string} id
 * @property {string} username
 * @property {string[]} roles e.g. `['USER', 'ADMIN']`
 * @property {boolean} mfaEnabled
 */

/**
 * `GET /api/auth/setup` (AuthController.SetupStatus).
 * @typedef {object} SetupStatus
 * @property {boolean} adminSetupPending whether sign-up asks for the one-time setup token
 */

/**
 * `POST /api/auth/register`, 201 (AuthController.Registered).
 * @typedef {object} Registered
 * @property {string} id
 * @property {string} username
 */

/**
 * `POST /api/auth/mfa/setup` (MfaController.Setup).
 * @typedef {object} MfaSetup
 * @property {string} secret Base32
 * @property {string} otpauthUri
 * @property {string} qrCodePng a `data:image/png;base64,` URI
 */

/**
 * `POST /api/auth/mfa/recovery-codes` (MfaController.RecoveryCodes).
 * @typedef {object} RecoveryCodes
 * @property {string[]} recoveryCodes
 */

/**
 * `POST /api/auth/mfa/enable`: the recovery codes and a new session for this browser, as enabling
 * ends every other (MfaController.Enabled).
 * @typedef {RecoveryCodes & Tokens} MfaEnabled
 */

// Errors (shared/ErrorBody.java)

/**
 * The body of every error response.
 * @typedef {object} ErrorBody
 * @property {string} error a machine code, e.g. `invalid_credentials`
 * @property {string} message a sentence for people
 */

// Webhooks (webhooks/internal/WebhookController.java)

/** @typedef {'video.uploaded' | 'video.playable' | 'video.ready' | 'video.failed' | 'video.deleted'} WebhookEventType */

/**
 * An endpoint as listed (WebhookController.EndpointJson).
 * @typedef {object} WebhookEndpoint
 * @property {string} id
 * @property {string} url
 * @property {WebhookEventType[]} events
 * @property {string} createdAt
 */

/**
 * `POST /api/webhooks`, 201: the endpoint with its secret, shown this once (WebhookController.CreatedEndpoint).
 * @typedef {WebhookEndpoint & {secret: string}} CreatedWebhookEndpoint
 */

/** @typedef {'PENDING' | 'DELIVERED' | 'FAILED'} DeliveryStatus */

/**
 * One event sent, or to be sent, to an endpoint (WebhookController.DeliveryJson).
 * @typedef {object} WebhookDelivery
 * @property {string} id the `webhook-id` of every attempt
 * @property {WebhookEventType} event
 * @property {string} videoId
 * @property {DeliveryStatus} status
 * @property {number} attempts
 * @property {number | null} lastStatusCode the endpoint's last answer; null when none came
 * @property {string | null} nextAttemptAt while PENDING
 * @property {string | null} lastError why the last attempt failed
 * @property {string} createdAt
 * @property {string | null} deliveredAt
 */

/**
 * What an endpoint receives (Standard Webhooks signed).
 * @typedef {object} WebhookPayload
 * @property {WebhookEventType} type
 * @property {string} createdAt
 * @property {Video} data
 */

// Admin (transcode/internal/AdminController.java)

/**
 * `GET /api/admin/queue`: the whole fleet's figures (AdminController.QueueFigures).
 * @typedef {object} QueueFigures
 * @property {number} queued
 * @property {number} inFlight
 * @property {number} deadLettered
 * @property {number} done
 * @property {number} oldestQueuedAgeSeconds 0 when none waits
 * @property {number} workers busy workers of the transcode pools
 * @property {number} desiredWorkers
 * @property {number} processors transcode pools that reported lately
 */

/** @typedef {'QUEUED' | 'LEASED' | 'DONE' | 'DEAD'} JobState */

/**
 * A transcode job, `GET /api/admin/jobs` (AdminController.Job).
 * @typedef {object} Job
 * @property {string} id
 * @property {string} videoId
 * @property {JobState} state LEASED: being worked on; DEAD: dead-lettered
 * @property {number} attempts
 * @property {number} maxAttempts
 * @property {string | null} lastError
 * @property {string} createdAt
 * @property {string | null} runAt
 * @property {string | null} startedAt
 * @property {string | null} finishedAt
 * @property {string | null} worker
 * @property {string[]} logs the URLs of its attempts' ffmpeg logs (plain text)
 */

/**
 * `POST /api/admin/jobs/retry-dead` (AdminController.Retried).
 * @typedef {object} RetriedJobs
 * @property {number} jobs how many went back to the queue
 */

// Direct-to-storage uploads (upload/internal/DirectUploadController.java)

/**
 * `GET /api/direct-uploads` (DirectUploadController.Offer).
 * @typedef {object} DirectUploadOffer
 * @property {boolean} enabled
 * @property {number | null} partSize
 * @property {number | null} maxParts
 */

/**
 * `POST /api/direct-uploads`, 201 (DirectUploadController.Created).
 * @typedef {object} DirectUploadCreated
 * @property {string} id the video's id
 * @property {string} uploadId the store's multipart upload id
 * @property {number} size
 * @property {number} partSize
 * @property {number} partCount
 */

/**
 * A part the store has (storage/DirectUploads.Part).
 * @typedef {object} DirectUploadPart
 * @property {number} number from 1
 * @property {number} size
 * @property {string} etag
 */

/**
 * `GET /api/direct-uploads/{id}`: what arrived so far (DirectUploadController.Received).
 * @typedef {object} DirectUploadState
 * @property {string} id
 * @property {number} size of the whole file
 * @property {number} partSize
 * @property {number} partCount
 * @property {DirectUploadPart[]} parts
 */

/**
 * `POST /api/direct-uploads/{id}/parts` (DirectUploadController.Signed).
 * @typedef {object} SignedParts
 * @property {{number: number, size: number, url: string}[]} parts PUT exactly `size` bytes to `url`
 * @property {string} expiresAt
 */

export {};
