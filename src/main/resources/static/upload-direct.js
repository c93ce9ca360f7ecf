// @ts-check
// Direct-to-storage upload (/api/direct-uploads): the file's parts go from the browser straight
// to the store (S3) with URLs this server signs, through Uppy's S3 multipart plugin; the server
// opens the upload, signs each part for its size, and checks and finishes it on completion. The
// page opens the upload itself and hands it to Uppy as one to resume (Uppy's restore path), so
// Uppy never abandons it on an error: a failure pauses, and Resume asks which parts are there. It
// offers the subset of tus-js-client's Upload that upload.js uses: start, abort, url, and the
// same callbacks, so the page drives either the same way. A reload resumes it: the upload's id is
// remembered under the file's fingerprint, and Uppy asks the server which parts the store has.
import { api, ApiError } from '/app.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').DirectUploadOffer} DirectUploadOffer */
/** @typedef {import('/api-types.js').DirectUploadCreated} DirectUploadCreated */
/** @typedef {import('/api-types.js').DirectUploadState} DirectUploadState */
/** @typedef {import('/api-types.js').SignedParts} SignedParts */
/**
 * An upload opened on the server: its id (the video's), the store's multipart upload id and the part size.
 * @typedef {{id: string, uploadId: string, partSize: number}} OpenedUpload
 */
/**
 * What this browser remembers of a direct upload, under the file's fingerprint.
 * @typedef {OpenedUpload & {name: string, title: string, createdAt: string}} RememberedUpload
 */
/**
 * An upload error as tus-js-client reports one: with the server's answer when there was one.
 * @typedef {Error & {originalResponse?: {getStatus(): number, getBody(): string} | null}} UploadError
 */

const REMEMBERED = 'vf.directUploads';

/**
 * What the server offers ({enabled, partSize}), or null when it takes uploads only through itself.
 * @returns {Promise<DirectUploadOffer | null>}
 */
export async function directOffer() {
  try {
    /** @type {DirectUploadOffer} */
    const offer = await api('/api/direct-uploads');
    return offer && offer.enabled ? offer : null;
  } catch {
    return null;
  }
}

/** @returns {Record<string, RememberedUpload>} */
function remembered() {
  try {
    return JSON.parse(localStorage.getItem(REMEMBERED) || '{}');
  } catch {
    return {};
  }
}

/**
 * @param {string} fingerprint
 * @param {RememberedUpload | null} entry null forgets it
 */
function remember(fingerprint, entry) {
  const all = remembered();
  if (entry) all[fingerprint] = entry; else delete all[fingerprint];
  localStorage.setItem(REMEMBERED, JSON.stringify(all));
}

/**
 * The direct uploads this browser remembers for the fingerprints starting with `prefix`.
 * @param {string} prefix
 */
export function rememberedUploads(prefix) {
  return Object.entries(remembered()).filter(([key]) => key.startsWith(prefix))
    .map(([fingerprint, entry]) => ({ fingerprint, ...entry }));
}

/** @param {string} fingerprint */
export function forget(fingerprint) {
  remember(fingerprint, null);
}

/**
 * Shaped as tus-js-client's error, so that one error handler reads both.
 * @param {unknown} err
 * @returns {UploadError}
 */
function asTusError(err) {
  if (err instanceof ApiError) {
    /** @type {UploadError} */
    const failure = new Error(err.message);
    const body = JSON.stringify({ error: err.code, message: err.message });
    failure.originalResponse = { getStatus: () => err.status, getBody: () => body };
    return failure;
  }
  return err instanceof Error ? err : new Error(String(err));
}

export class DirectUpload {
  /**
   * @param {File} file
   * @param {Record<string, string>} metadata filename, title, description, visibility
   * @param {DirectUploadOffer} offer
   * @param {string} fingerprint identifies the file for resuming after a reload
   * @param {{
   *   onProgress: (sent: number, total: number) => void, onSuccess: () => void, onError: (error: UploadError) => void,
   *   onUploadUrlAvailable?: () => void,
   * }} handlers
   */
  constructor(file, metadata, offer, fingerprint, handlers) {
    this.file = file;
    this.metadata = metadata;
    this.offer = offer;
    this.fingerprint = fingerprint;
    this.handlers = handlers;
    /** @type {string | null} */
    this.url = null;
    /** @type {import('/vendor/uppy.min.mjs').Uppy | null} */
    this.uppy = null;
    /** @type {OpenedUpload | null} */
    this.resumeFrom = null;
    /** Stopped by an error (Uppy then retries rather than resumes). */
    this.failed = false;
    /** @type {Video | null} the video, once the upload is complete */
    this.video = null;
  }

  /**
   * An earlier upload of the same file that the server still has, to go on with; null otherwise.
   * @returns {Promise<(RememberedUpload & {sent: number, size: number}) | null>}
   */
  async findPrevious() {
    const entry = remembered()[this.fingerprint];
    if (!entry) return null;
    try {
      /** @type {DirectUploadState} */
      const state = await api(`/api/direct-uploads/${encodeURIComponent(entry.id)}`);
      const sent = state.parts.reduce((sum, p) => sum + p.size, 0);
      return { ...entry, partSize: state.partSize, sent, size: state.size };
    } catch {
      forget(this.fingerprint);
      return null;
    }
  }

  /** @param {OpenedUpload} previous */
  resumeFromPrevious(previous) {
    this.resumeFrom = previous;
    this.url = `/api/direct-uploads/${previous.id}`;
  }

  async start() {
    if (this.uppy) {
      // Paused or stopped by an error: carry on with the parts not yet in the store.
      if (this.failed) {
        this.failed = false;
        this.uppy.retryAll();
      } else {
        this.uppy.resumeAll();
      }
      return;
    }
    let opened = this.resumeFrom;
    if (!opened) {
      try {
        /** @type {DirectUploadCreated} */
        const created = await api('/api/direct-uploads', {
          method: 'POST', body: { ...this.metadata, size: this.file.size },
        });
        opened = { id: created.id, uploadId: created.uploadId, partSize: created.partSize };
      } catch (err) {
        this.handlers.onError(asTusError(err));
        return;
      }
      this.url = `/api/direct-uploads/${opened.id}`;
      remember(this.fingerprint, { ...opened, name: this.file.name, title: this.metadata.title, createdAt: new Date().toISOString() });
      this.handlers.onUploadUrlAvailable?.();
    }
    const { Uppy, AwsS3 } = await import('/vendor/uppy.min.mjs');
    const uppy = new Uppy({ autoProceed: false });
    this.uppy = uppy;
    const id = () => opened.id;
    uppy.use(AwsS3, {
      shouldUseMultipart: true,
      limit: 4,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      // The server signs each part for exactly this size (the last: the rest).
      getChunkSize: () => opened.partSize,
      createMultipartUpload: () => ({ uploadId: opened.uploadId, key: opened.id }),
      listParts: async () => {
        /** @type {DirectUploadState} */
        const state = await api(`/api/direct-uploads/${encodeURIComponent(id())}`);
        return state.parts.map((p) => ({ PartNumber: p.number, Size: p.size, ETag: p.etag }));
      },
      signPart: async (file, { partNumber }) => {
        /** @type {SignedParts} */
        const signed = await api(`/api/direct-uploads/${encodeURIComponent(id())}/parts`, {
          method: 'POST', body: { numbers: [partNumber] },
        });
        return { method: 'PUT', url: signed.parts[0].url, headers: {} };
      },
      completeMultipartUpload: async () => {
        // Checking and storing may be busy for a moment (503): the same completion again.
        for (let attempt = 1; ; attempt++) {
          try {
            this.video = await api(`/api/direct-uploads/${encodeURIComponent(id())}/complete`, { method: 'POST' });
            return { location: `/watch/${this.video.id}` };
          } catch (err) {
            const busy = err instanceof TypeError || (err instanceof ApiError && (err.status === 503 || err.status === 429));
            if (!busy || attempt >= 6) throw err;
            await new Promise((r) => setTimeout(r, ((err instanceof ApiError && err.retryAfter) || 2 ** attempt) * 1000));
          }
        }
      },
      // Only Cancel gives the upload up (abort(true)); a failure keeps what the store has.
      abortMultipartUpload: () => {},
    });
    uppy.on('upload-progress', (file, progress) => {
      if (progress.bytesTotal) this.handlers.onProgress(progress.bytesUploaded, progress.bytesTotal);
    });
    uppy.on('upload-success', () => {
      forget(this.fingerprint);
      this.handlers.onSuccess();
    });
    uppy.on('upload-error', (file, error) => {
      this.failed = true;
      // Uppy hands on the Error thrown; an ApiError of this page's calls is its cause.
      const cause = /** @type {Error} */ (error)?.cause;
      this.handlers.onError(asTusError(cause instanceof ApiError ? cause : error));
    });
    const fileId = uppy.addFile({ name: this.file.name, type: this.file.type, data: this.file, source: 'Local' });
    // As Uppy's own restore does: the plugin asks listParts which parts are there and sends the rest.
    // (`s3Multipart` is the plugin's part of a file's state, which Uppy's types leave out.)
    const restore = /** @type {Parameters<typeof uppy.setFileState>[1]} */ ({ s3Multipart: { key: opened.id, uploadId: opened.uploadId } });
    uppy.setFileState(fileId, restore);
    uppy.upload().catch(() => { /* reported through upload-error */ });
  }

  /**
   * Pauses; with `terminate`, cancels the upload and the server discards what arrived.
   * @param {boolean} [terminate]
   */
  async abort(terminate) {
    if (!this.uppy) {
      if (terminate && this.url) await api(this.url, { method: 'DELETE' }).catch(() => {});
      return;
    }
    if (terminate) {
      forget(this.fingerprint);
      this.uppy.cancelAll();
      if (this.url) await api(this.url, { method: 'DELETE' }).catch(() => {});
    } else {
      this.uppy.pauseAll();
    }
  }
}
