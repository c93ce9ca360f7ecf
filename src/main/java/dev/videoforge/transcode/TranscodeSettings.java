package dev.videoforge.transcode;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Transcoding settings ({@code videoforge.transcode.*}).
 *
 * @param minWorkers fewest videos this process transcodes at once (when there is work)
 * @param maxWorkers most videos this process transcodes at once; 0 means one per CPU core
 * @param scaleDownCooldown how long the backlog must stay low before a worker is taken away
 * @param workDir scratch folder for running jobs; defaults to {@code <data-dir>/work}
 * @param preset x264 preset (speed against size): ultrafast … veryslow
 * @param segmentSeconds target HLS segment length; keyframes are forced on this grid in every quality
 * @param maxFrameRate frame rate cap; faster sources are reduced to it
 * @param maxHeight tallest quality made (short side of the picture, e.g. 2160 for 4K)
 * @param audioBitrate AAC bitrate in kbit/s, of every audio track
 * @param maxAudioTracks most audio tracks of a source made into audio renditions (the first ones, in file order)
 * @param stallTimeout an ffmpeg that reports no progress for this long is killed and the attempt fails
 * @param timeout longest one attempt may run
 * @param chunkThreshold videos at least this long (with pictures) are cut into chunks that every
 *        processor of the fleet encodes at once; shorter ones take the single pass; 0 turns chunking off
 * @param chunkSeconds about how long each chunk is (rounded to whole segments); a video of a few chunks is cut into a
 *        multiple of the fleet's transcode slots instead, of about equal length (at least half this long)
 * @param firstRenditionThreshold videos with pictures in two qualities or more, at least this long (and at most
 *        {@code firstRenditionUpTo}), have one quality
 *        (the first rendition) and their sound made whole by a job of their own ahead of the chunks, published as
 *        they are made, so they play within seconds; shorter than {@code chunkThreshold}, only when the fleet has two
 *        transcode slots or more (their other qualities are then chunks too); 0 turns it off
 * @param firstRenditionHeight the first rendition is the best quality of at most this height (the short side), else
 *        the smallest; 360 by default, which one core makes faster than real time from a 1080p source (480p did not:
 *        docs/BENCHMARKS.md, Fleet)
 * @param firstRenditionUpTo the longest video to get a first rendition whatever the fleet; a longer one gets it only
 *        while the fleet has at most {@code firstRenditionMaxSlots} transcode slots, else it is published chunk by
 *        chunk in every quality (many slots make those faster than one job makes a whole quality, and without
 *        decoding the source twice); 0: no limit
 * @param firstRenditionMaxSlots the most transcode slots of the fleet with which a video longer than
 *        {@code firstRenditionUpTo} still gets a first rendition
 * @param chunkFormats the containers (ffmpeg demuxer names) cut into chunks (and so given a first rendition): those
 *        where a chunk's seek lands on the keyframe at or before its start, MP4/MOV by their index, MKV/WebM by their
 *        cues or clusters. MPEG-TS and MPEG-PS (a camcorder's .mts, a broadcast capture) have neither, and a chunk
 *        there began up to a keyframe interval late; sources in other containers take the single pass
 * @param originalFirst a video cut into chunks whose source's pictures a browser plays as they are (H.264, 4:2:0
 *        8-bit, progressive, square pixels, at most {@code maxFrameRate}, Baseline/Main/High up to level 5.2) plays on
 *        them, repackaged without re-encoding (a few CPU seconds), from seconds after its upload until READY, in
 *        place of a first rendition; false: never (viewers' players then only ever read what VideoForge encoded)
 * @param originalMaxKbps the highest average bitrate (kbit/s) of source pictures played as they are: above it a
 *        viewer's connection would stall on them, and the first rendition (or the chunks) is used instead
 * @param originalMaxSegment the longest segment of the source's pictures played as they are (a segment ends on
 *        one of the source's keyframes): a source with keyframes further apart starts and seeks too slowly on them
 * @param originalKeptAfterReady how long the source's repackaged pictures stay stored after READY (the master
 *        lists only the ladder then), so that a viewer who began on them finishes; 0 removes them at READY. The
 *        default is the signed URLs' lifetime ({@code videoforge.signing.ttl})
 */
@ConfigurationProperties("videoforge.transcode")
public record TranscodeSettings(@DefaultValue("1") int minWorkers, @DefaultValue("0") int maxWorkers,
		@DefaultValue("30s") Duration scaleDownCooldown, Path workDir, @DefaultValue("veryfast") String preset,
		@DefaultValue("4") int segmentSeconds, @DefaultValue("60") int maxFrameRate, @DefaultValue("2160") int maxHeight,
		@DefaultValue("128") int audioBitrate, @DefaultValue("5m") Duration stallTimeout,
		@DefaultValue("6h") Duration timeout, @DefaultValue("8") int maxAudioTracks,
		@DefaultValue("2m") Duration chunkThreshold, @DefaultValue("40") int chunkSeconds,
		@DefaultValue("20s") Duration firstRenditionThreshold, @DefaultValue("360") int firstRenditionHeight,
		@DefaultValue("2m") Duration firstRenditionUpTo, @DefaultValue("3") int firstRenditionMaxSlots,
		@DefaultValue({ "mov", "matroska" }) java.util.List<String> chunkFormats, @DefaultValue("true") boolean originalFirst,
		@DefaultValue("25000") int originalMaxKbps, @DefaultValue("12s") Duration originalMaxSegment,
		@DefaultValue("6h") Duration originalKeptAfterReady) {

	/** The most concurrent transcodes: the setting, bounded by the CPU cores (ffmpeg uses them all). */
	public int effectiveMaxWorkers() {
		int cores = Runtime.getRuntime().availableProcessors();
		int max = maxWorkers <= 0 ? cores : Math.min(maxWorkers, cores);
		return Math.max(Math.max(1, minWorkers), max);
	}
}
