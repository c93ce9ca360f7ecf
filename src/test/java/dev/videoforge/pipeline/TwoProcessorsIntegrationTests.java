package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TestDatabases;
import dev.videoforge.support.Renditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two VideoForge processes share PostgreSQL and storage. The one transcoding is killed with
 * SIGKILL mid-job; the other takes the job over when the lease runs out and finishes it. A long
 * video is cut into chunks that both encode at once, and a processor killed mid-chunk costs that
 * chunk only.
 */
@RequiresPostgres
class TwoProcessorsIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void aJobWhoseProcessorIsKilledIsRedeliveredToTheOtherAndCompletes() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "1280x720", 14);

		String schema = "vf_two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		Path shared = temp.resolve("shared");
		List<String> common = List.of("--videoforge.data-dir=" + shared,
				"--spring.datasource.url=" + TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
				"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
				"--videoforge.queue.visibility-timeout=4s", "--videoforge.queue.poll-interval=200ms",
				// A slower preset keeps the job running long enough to be caught in the middle.
				"--videoforge.transcode.preset=medium",
				"--videoforge.auth.jwt-secret=a-secret-shared-by-both-processes-0123456789");
		try (ServerProcess a = ServerProcess.start(ServerProcess.freePort(), temp.resolve("a.log"),
				args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-a")));
				ServerProcess b = ServerProcess.start(ServerProcess.freePort(), temp.resolve("b.log"),
						args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-b")))) {
			ApiClient viaA = new ApiClient(a.base()).signUp("alice", "correct horse battery");
			// One token works on both: they share the signing key, as a fleet does.
			ApiClient viaB = new ApiClient(b.base()).as(viaA.token());

			var upload = viaA.multipart(source, "Shared", "PUBLIC");
			assertThat(upload.statusCode()).isEqualTo(201);
			String id = ApiClient.json(upload).path("id").asString();
			viaA.awaitProgress(id, 10, Duration.ofMinutes(2));

			// Kill whichever process is transcoding it; the survivor must finish it.
			boolean aWorks = Files.readString(temp.resolve("a.log")).contains("video " + id + " attempt 1 started");
			ServerProcess victim = aWorks ? a : b;
			ApiClient survivor = aWorks ? viaB : viaA;
			Path survivorLog = temp.resolve(aWorks ? "b.log" : "a.log");
			victim.kill();

			JsonNode video = survivor.awaitFinal(id, Duration.ofMinutes(4));
			assertThat(video.path("status").asString()).isEqualTo("READY");
			assertThat(Files.readString(survivorLog)).contains("video " + id + " attempt 2 started");
			assertThat(video.path("qualities").toString()).isEqualTo("[\"720p\",\"480p\",\"360p\",\"240p\"]");
			JsonNode qualities = ApiClient.json(survivor.get("/api/stream/" + id + "/qualities")).path("qualities");
			assertThat(qualities.size()).as("qualities of %s", id).isEqualTo(4);
			var decodedSource = dev.videoforge.support.Renditions.decode(source.toString());
			for (JsonNode quality : qualities) {
				dev.videoforge.support.Renditions.assertRendition(survivor.base() + quality.path("url").asString(), decodedSource, true);
				// One set: the playlist names every segment stored, no more.
				Path dir = shared.resolve("blobs/renditions").resolve(id).resolve(quality.path("name").asString());
				long listed = Files.readAllLines(dir.resolve("index.m3u8")).stream().filter(l -> l.endsWith(".m4s")).count();
				try (Stream<Path> files = Files.list(dir)) {
					assertThat(files.filter(p -> p.toString().endsWith(".m4s")).count()).isEqualTo(listed);
				}
			}
			try (Stream<Path> tmp = Files.list(shared.resolve("blobs/.tmp"))) {
				assertThat(tmp.toList()).as("no half-written objects").isEmpty();
			}
			Path survivorWork = temp.resolve(aWorks ? "work-b" : "work-a");
			try (Stream<Path> work = Files.list(survivorWork)) {
				assertThat(work.toList()).as("the survivor leaves no scratch").isEmpty();
			}
		}
		finally {
			try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
				c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	/**
	 * A 48 s video with chunks of 8 s (small settings, so that a test-sized video is cut as a long
	 * one is): each processor runs one job at a time, so neither can take the whole video alone.
	 * Six chunks share out evenly between the two processors' slots, so the plan keeps the 8 s
	 * (ChunkPlanTests has how an odd count is cut shorter).
	 */
	@Test
	void twoProcessorsShareOneLongVideosChunks() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "640x360", 48);
		String schema = schema();
		Path shared = temp.resolve("shared");
		// A slower preset: at veryfast a 360p chunk takes well under a second, and one processor could
		// encode all six while the other made the sound and the poster (a fresh-clone run saw it).
		List<String> common = chunked(schema, shared, "medium");
		try (ServerProcess a = ServerProcess.start(ServerProcess.freePort(), temp.resolve("a.log"),
				args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-a")));
				ServerProcess b = ServerProcess.start(ServerProcess.freePort(), temp.resolve("b.log"),
						args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-b")))) {
			ApiClient alice = new ApiClient(a.base()).signUp("alice", "correct horse battery");
			var upload = alice.multipart(source, "Long", "PUBLIC");
			assertThat(upload.statusCode()).isEqualTo(201);
			String id = ApiClient.json(upload).path("id").asString();

			JsonNode video = alice.awaitFinal(id, Duration.ofMinutes(5));
			assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");

			// One plan of six chunks, each stored once, by both processors between them.
			String logs = Files.readString(temp.resolve("a.log")) + Files.readString(temp.resolve("b.log"));
			assertThat(plans(logs, id)).as("plans made").containsExactly(6);
			Map<Integer, Integer> byA = stored(temp.resolve("a.log"), id);
			Map<Integer, Integer> byB = stored(temp.resolve("b.log"), id);
			// What each did with the video, to read when one of them stored nothing.
			String told = logs.lines().filter(l -> l.contains(id)).map(l -> l.length() > 220 ? l.substring(0, 220) : l)
					.collect(java.util.stream.Collectors.joining("\n"));
			assertThat(byA).as("chunks processor a stored; the logs:%n%s", told).isNotEmpty();
			assertThat(byB).as("chunks processor b stored; the logs:%n%s", told).isNotEmpty();
			Map<Integer, Integer> all = new TreeMap<>(byA);
			byB.forEach((chunk, times) -> all.merge(chunk, times, Integer::sum));
			assertThat(all).as("times each chunk was stored (a: %s, b: %s)", byA, byB)
					.isEqualTo(Map.of(1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6, 1));
			try (Connection c = connect(schema)) {
				assertThat(chunkJobs(c, id)).as("the chunk jobs: each done, leased once")
						.extracting(ChunkJob::state, ChunkJob::attempts).containsOnly(org.assertj.core.groups.Tuple.tuple("DONE", 1))
						.hasSize(6);
			}
			// Every rendition decodes to the source's frames and sound, and nothing else is stored.
			Renditions.assertOneSetThatPlays(alice, shared, id);
		}
		finally {
			drop(schema);
		}
	}

	/**
	 * The processor encoding a chunk is SIGKILLed once some chunks are stored; the other takes
	 * that chunk over when its lease runs out and finishes the video, and nothing stored before the
	 * kill is encoded again.
	 */
	@Test
	void aProcessorKilledMidChunkCostsThatChunkOnly() throws Exception {
		killMidChunk(false);
	}

	/**
	 * As {@link #aProcessorKilledMidChunkCostsThatChunkOnly}, and the operator starts the killed
	 * processor again while the chunks run, as one does. Its start-up reconciliation must leave the
	 * running plan alone: the video's first job is done while its chunks run, and doing it again
	 * would cut the video anew and encode every chunk again.
	 */
	@Test
	void aProcessorRestartedWhileChunksRunDoesNotPlanTheVideoAgain() throws Exception {
		killMidChunk(true);
	}

	private void killMidChunk(boolean restartVictim) throws Exception {
		// Longer when restarted, so that chunks still run when the restarted processor is up. An even
		// count: the plan keeps 8 s chunks on two slots.
		int chunks = restartVictim ? 10 : 6;
		Path source = Media.testClip(temp.resolve("source.mp4"), "640x360", 8 * chunks);
		String schema = schema();
		Path shared = temp.resolve("shared");
		// A slower preset keeps each chunk running long enough to be caught in the middle.
		List<String> common = chunked(schema, shared, "medium");
		try (ServerProcess a = ServerProcess.start(ServerProcess.freePort(), temp.resolve("a.log"),
				args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-a")));
				ServerProcess b = ServerProcess.start(ServerProcess.freePort(), temp.resolve("b.log"),
						args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-b")));
				Connection db = connect(schema)) {
			ApiClient viaA = new ApiClient(a.base()).signUp("alice", "correct horse battery");
			ApiClient viaB = new ApiClient(b.base()).as(viaA.token());
			var upload = viaA.multipart(source, "Long", "PUBLIC");
			assertThat(upload.statusCode()).isEqualTo(201);
			String id = ApiClient.json(upload).path("id").asString();

			// Wait for a moment when a chunk is stored and another one is being encoded.
			ChunkJob running = null;
			long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
			while (running == null) {
				assertThat(System.nanoTime()).as("a chunk in progress after another was stored").isLessThan(deadline);
				Set<Integer> done = partsDone(db, id).keySet();
				if (!done.isEmpty()) {
					running = chunkJobs(db, id).stream()
							.filter(j -> j.state().equals("LEASED") && !done.contains(j.index()) && j.owner() != null)
							.findFirst().orElse(null);
				}
				if (running == null) {
					assertThat(viaA.get("/api/gallery/videos/" + id).body()).as("video %s", id).doesNotContain("\"READY\"");
					Thread.sleep(100);
				}
			}
			// The lease owner is the worker's id, which starts with its process id.
			boolean aHolds = running.owner().startsWith(a.process().pid() + "@");
			assertThat(aHolds || running.owner().startsWith(b.process().pid() + "@")).as("owner %s", running.owner()).isTrue();
			ServerProcess victim = aHolds ? a : b;
			ApiClient survivor = aHolds ? viaB : viaA;
			Path victimLog = temp.resolve(aHolds ? "a.log" : "b.log");
			Path survivorLog = temp.resolve(aHolds ? "b.log" : "a.log");
			victim.kill();
			int killed = running.index();
			Map<Integer, java.time.OffsetDateTime> before = partsDone(db, id);
			assertThat(before).as("parts stored when the processor died").doesNotContainKey(killed).isNotEmpty();
			String plan = planOf(db, id);
			Path restartedLog = temp.resolve("restarted.log");
			ServerProcess restarted = restartVictim ? ServerProcess.start(ServerProcess.freePort(), restartedLog,
					args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-r"))) : null;
			JsonNode video;
			try {
				if (restarted != null) {
					assertThat(survivor.get("/api/gallery/videos/" + id).body()).as("the video when the killed processor is back")
							.doesNotContain("\"READY\"");
				}
				video = survivor.awaitFinal(id, Duration.ofMinutes(5));
			}
			finally {
				if (restarted != null) {
					restarted.close();
				}
			}
			assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
			// What the survivor stored, and the restarted processor (if any) besides.
			Map<Integer, Integer> byOthers = new TreeMap<>(stored(survivorLog, id));
			if (restartVictim) {
				stored(restartedLog, id).forEach((chunk, times) -> byOthers.merge(chunk, times, Integer::sum));
			}
			String logs = Files.readString(victimLog) + Files.readString(survivorLog)
					+ (restartVictim ? Files.readString(restartedLog) : "");

			// The killed chunk was leased again, on the lease running out, and stored by the survivor.
			List<ChunkJob> jobs = chunkJobs(db, id);
			assertThat(jobs).as("chunk jobs").hasSize(chunks).allMatch(j -> j.plan().equals(plan), "of the plan " + plan);
			ChunkJob redone = jobs.stream().filter(j -> j.index() == killed).findFirst().orElseThrow();
			assertThat(redone.state()).isEqualTo("DONE");
			assertThat(redone.attempts()).as("leases of the killed chunk").isEqualTo(2);
			assertThat(redone.leaseExpiries()).as("leases of the killed chunk that ran out").isEqualTo(1);
			assertThat(restartVictim ? byOthers : stored(survivorLog, id)).as("chunks the survivor stored")
					.containsEntry(killed + 1, 1);
			assertThat(stored(victimLog, id)).as("chunks the killed processor stored").doesNotContainKey(killed + 1);
			// Nothing else was encoded twice: every other chunk job was leased once, each chunk stored once.
			assertThat(jobs.stream().filter(j -> j.index() != killed)).as("the other chunk jobs")
					.extracting(ChunkJob::state, ChunkJob::attempts, ChunkJob::leaseExpiries)
					.containsOnly(org.assertj.core.groups.Tuple.tuple("DONE", 1, 0));
			Map<Integer, Integer> all = new TreeMap<>(stored(victimLog, id));
			byOthers.forEach((chunk, times) -> all.merge(chunk, times, Integer::sum));
			assertThat(all).as("times each chunk was stored").isEqualTo(onceEach(chunks));
			for (int index : before.keySet()) {
				assertThat(count(logs, "video " + id + ": chunk " + (index + 1) + "/" + chunks + " stored"))
						.as("chunk %d, stored before the kill", index + 1).isEqualTo(1);
			}
			// The video was planned once: nobody cut it again, and its first job was leased once.
			assertThat(plans(logs, id)).as("plans made").containsExactly(chunks);
			try (var query = db.prepareStatement("SELECT state, attempts FROM jobs WHERE dedupe_key = ?")) {
				query.setString(1, "transcode:" + id);
				try (ResultSet rs = query.executeQuery()) {
					assertThat(rs.next()).isTrue();
					assertThat(rs.getString(1) + "/" + rs.getInt(2)).as("the plan job").isEqualTo("DONE/1");
				}
			}
			Renditions.assertOneSetThatPlays(survivor, shared, id);
			Path survivorWork = temp.resolve(aHolds ? "work-b" : "work-a");
			try (Stream<Path> work = Files.list(survivorWork)) {
				assertThat(work.toList()).as("the survivor leaves no scratch").isEmpty();
			}
		}
		finally {
			drop(schema);
		}
	}

	/** One chunk job as the jobs table has it. */
	private record ChunkJob(String plan, int index, String state, int attempts, int leaseExpiries, String owner) {
	}

	/** The chunk jobs of the video's plans (their dedupe key is {@code chunk:<plan>:<index>}). */
	private static List<ChunkJob> chunkJobs(Connection db, String videoId) throws SQLException {
		List<ChunkJob> jobs = new ArrayList<>();
		try (var query = db.prepareStatement("""
				SELECT dedupe_key, state, attempts, lease_expiries, lease_owner FROM jobs
				WHERE dedupe_key LIKE 'chunk:%' AND payload LIKE ? ORDER BY dedupe_key""")) {
			query.setString(1, "%\"videoId\":\"" + videoId + "\"%");
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					String[] key = rs.getString(1).split(":");
					jobs.add(new ChunkJob(key[1], Integer.parseInt(key[2]), rs.getString(2), rs.getInt(3), rs.getInt(4),
							rs.getString(5)));
				}
			}
		}
		return jobs;
	}

	/** The chunks of the video's current plan recorded as stored, by index, with when. */
	private static Map<Integer, java.time.OffsetDateTime> partsDone(Connection db, String videoId) throws SQLException {
		Map<Integer, java.time.OffsetDateTime> parts = new TreeMap<>();
		try (var query = db.prepareStatement("SELECT part, done_at FROM transcode_parts WHERE video_id = ? AND part LIKE 'chunk-%'")) {
			query.setString(1, videoId);
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					parts.put(Integer.parseInt(rs.getString(1).substring("chunk-".length())),
							rs.getObject(2, java.time.OffsetDateTime.class));
				}
			}
		}
		return parts;
	}

	private static String planOf(Connection db, String videoId) throws SQLException {
		try (var query = db.prepareStatement("SELECT plan_id FROM transcode_plans WHERE video_id = ?")) {
			query.setString(1, videoId);
			try (ResultSet rs = query.executeQuery()) {
				assertThat(rs.next()).as("a plan for %s", videoId).isTrue();
				return rs.getString(1);
			}
		}
	}

	/** How many times each chunk (numbered from 1, as logged) was stored, from a processor's log. */
	private static Map<Integer, Integer> stored(Path log, String videoId) throws IOException {
		Matcher m = Pattern.compile("video " + videoId + ": chunk (\\d+)/\\d+ stored").matcher(Files.readString(log));
		Map<Integer, Integer> times = new TreeMap<>();
		while (m.find()) {
			times.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
		}
		return times;
	}

	/** The number of chunks of each plan made for the video, as the processors logged them. */
	private static List<Integer> plans(String logs, String videoId) {
		Matcher m = Pattern.compile("video " + videoId + ": [\\d.]+ s cut into (\\d+) chunks").matcher(logs);
		List<Integer> chunks = new ArrayList<>();
		while (m.find()) {
			chunks.add(Integer.parseInt(m.group(1)));
		}
		return chunks;
	}

	/** Chunks 1 to {@code chunks}, each stored once. */
	private static Map<Integer, Integer> onceEach(int chunks) {
		Map<Integer, Integer> once = new TreeMap<>();
		for (int chunk = 1; chunk <= chunks; chunk++) {
			once.put(chunk, 1);
		}
		return once;
	}

	private static int count(String text, String needle) {
		int n = 0;
		for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
			n++;
		}
		return n;
	}

	/** The settings of both processors of a chunked test: 40 s is long, 8 s chunks, one job at a time each. */
	private static List<String> chunked(String schema, Path shared, String preset) {
		return List.of("--videoforge.data-dir=" + shared,
				"--spring.datasource.url=" + TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
				"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
				"--videoforge.queue.visibility-timeout=4s", "--videoforge.queue.poll-interval=200ms",
				"--videoforge.transcode.preset=" + preset, "--videoforge.transcode.chunk-threshold=20s",
				"--videoforge.transcode.chunk-seconds=8", "--videoforge.transcode.max-workers=1",
				// Every quality in chunks: these tests are about sharing them (the first rendition has its own).
				"--videoforge.transcode.first-rendition-threshold=0",
				"--videoforge.auth.jwt-secret=a-secret-shared-by-both-processes-0123456789");
	}

	private static String schema() {
		return "vf_two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	private static Connection connect(String schema) throws SQLException {
		return DriverManager.getConnection(TestDatabases.POSTGRES_URL + "?currentSchema=" + schema, TestDatabases.POSTGRES_USER, "");
	}

	private static void drop(String schema) throws SQLException {
		try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
			c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
	}

	private static String[] args(List<String> common, String extra) {
		return Stream.concat(common.stream(), Stream.of(extra)).toArray(String[]::new);
	}
}
