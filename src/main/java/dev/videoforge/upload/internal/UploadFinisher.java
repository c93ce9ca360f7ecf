package dev.videoforge.upload.internal;

import dev.videoforge.catalog.Video;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Finishes an upload whose bytes are all in its recorded pieces, whichever way they came (tus
 * PATCHes, a direct upload's one object): puts them together in this gateway's scratch folder,
 * checks they add up to the length, probes, stores the original, queues, and clears the pieces.
 * Two gateways finishing the same upload at once store the same original and queue it once (the
 * catalog's conditional UPLOADING → QUEUED); a refusal removes only a video still UPLOADING.
 */
@Component
class UploadFinisher {

	private final UploadService uploads;
	private final UploadPieces pieces;

	UploadFinisher(UploadService uploads, UploadPieces pieces) {
		this.uploads = uploads;
		this.pieces = pieces;
	}

	/**
	 * @throws IOException when the pieces could not be read or put together (another gateway may
	 *         have finished the upload and cleared them meanwhile) or the original not stored
	 * @throws dev.videoforge.shared.Refusal when the media is refused (415, 422: removed)
	 */
	void finish(Video video) throws IOException {
		Path whole = uploads.assemblyFile(video.id());
		try {
			uploads.checkFreeSpace(video.uploadLength());
			pieces.assemble(video.id(), whole, video.uploadLength());
			uploads.complete(video, whole);
		}
		catch (java.io.UncheckedIOException e) {
			throw e.getCause();
		}
		finally {
			try {
				Files.deleteIfExists(whole);
			}
			catch (IOException e) {
				// A leftover in this process's scratch folder, swept at the next start.
			}
		}
		pieces.clear(video.id());
	}
}
