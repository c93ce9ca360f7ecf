package dev.videoforge.queue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a typed job is written into a queue message: a JSON object with its kind and the payload
 * record's fields, {@code {"kind":"chunk","videoId":"…","index":3}}. Both adapters store the text
 * as it is, so an operator reads the same thing in the database, in SQS and in the admin API.
 */
public final class JobPayloads {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JobPayloads() {
	}

	public static <P extends Record> String encode(JobType<P> type, P payload) {
		ObjectNode node = JSON.createObjectNode();
		node.put("kind", type.kind());
		node.setAll((ObjectNode) JSON.valueToTree(payload));
		return JSON.writeValueAsString(node);
	}

	/** The kind a payload names; the first type's kind for an untyped payload of an older version. */
	public static String kind(String payload) {
		if (payload == null || !payload.startsWith("{")) {
			return null;
		}
		JsonNode kind = JSON.readTree(payload).get("kind");
		return kind == null ? null : kind.asString();
	}

	/**
	 * One text field of a payload, for operators' views that list jobs of several kinds; an untyped
	 * payload of an older version is that field itself (a bare video id).
	 */
	public static String field(String payload, String name) {
		if (payload == null || !payload.startsWith("{")) {
			return payload;
		}
		JsonNode value = JSON.readTree(payload).get(name);
		return value == null || value.isNull() ? null : value.asString();
	}

	static <P extends Record> P decode(JobType<P> type, String payload) {
		if (payload == null || !payload.startsWith("{")) {
			if (type.legacy() == null) {
				throw new IllegalArgumentException("not a " + type + " payload: " + payload);
			}
			return type.legacy().apply(payload);
		}
		ObjectNode node = (ObjectNode) JSON.readTree(payload);
		node.remove("kind");
		return JSON.treeToValue(node, type.payload());
	}
}
