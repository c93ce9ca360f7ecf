package dev.videoforge.cli;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON trees read and written with Jackson's streaming parser and generator, not a
 * {@code JsonMapper}: the command line only needs trees, and building the mapper loads a few
 * hundred classes more. Measured with {@code bench/cli-json} on 2026-12-05 (JDK 25, the launcher's
 * client flags, a fresh JVM per run, median of 7): the first Video JSON read 497 ms after start with
 * a mapper, 260 ms with this class, so every command starts about 0.24 s sooner (docs/BENCHMARKS.md).
 */
final class Json {

	private static final JsonFactory FACTORY = new JsonFactory();
	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private Json() {
	}

	static ObjectNode object() {
		return NODES.objectNode();
	}

	static ArrayNode array() {
		return NODES.arrayNode();
	}

	/** An object of string (or null) values, such as a request body. */
	static ObjectNode object(Map<String, String> values) {
		ObjectNode node = object();
		values.forEach(node::put);
		return node;
	}

	/** Parses a whole document; throws {@link IllegalArgumentException} when it is not JSON. */
	static JsonNode parse(String text) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text == null ? "" : text)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw new IllegalArgumentException("empty document");
			}
			JsonNode node = read(parser, first);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("trailing content after the JSON value");
			}
			return node;
		}
		catch (JacksonException e) {
			throw new IllegalArgumentException(e.getOriginalMessage(), e);
		}
	}

	private static JsonNode read(JsonParser parser, JsonToken token) {
		switch (token) {
			case START_OBJECT -> {
				ObjectNode object = object();
				for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
					String name = parser.currentName();
					object.set(name, read(parser, parser.nextToken()));
				}
				return object;
			}
			case START_ARRAY -> {
				ArrayNode array = array();
				for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
					array.add(read(parser, t));
				}
				return array;
			}
			case VALUE_STRING -> {
				return NODES.stringNode(parser.getString());
			}
			case VALUE_NUMBER_INT -> {
				return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(parser.getBigIntegerValue())
						: NODES.numberNode(parser.getLongValue());
			}
			case VALUE_NUMBER_FLOAT -> {
				return NODES.numberNode(parser.getDoubleValue());
			}
			case VALUE_TRUE -> {
				return NODES.booleanNode(true);
			}
			case VALUE_FALSE -> {
				return NODES.booleanNode(false);
			}
			case VALUE_NULL -> {
				return NODES.nullNode();
			}
			default -> throw new IllegalArgumentException("unexpected " + token);
		}
	}

	static String write(JsonNode node) {
		return write(node, ObjectWriteContext.empty());
	}

	/** Indented, for people and for the files in the config directory. */
	static String pretty(JsonNode node) {
		return write(node, new ObjectWriteContext.Base() {
			@Override
			public PrettyPrinter getPrettyPrinter() {
				return new DefaultPrettyPrinter();
			}

			@Override
			public boolean hasPrettyPrinter() {
				return true;
			}
		});
	}

	private static String write(JsonNode node, ObjectWriteContext context) {
		StringWriter out = new StringWriter();
		try (JsonGenerator generator = FACTORY.createGenerator(context, out)) {
			write(generator, node);
		}
		return out.toString();
	}

	private static void write(JsonGenerator generator, JsonNode node) {
		if (node.isObject()) {
			generator.writeStartObject();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				generator.writeName(property.getKey());
				write(generator, property.getValue());
			}
			generator.writeEndObject();
		}
		else if (node.isArray()) {
			generator.writeStartArray();
			for (JsonNode element : node.values()) {
				write(generator, element);
			}
			generator.writeEndArray();
		}
		else if (node.isString()) {
			generator.writeString(node.asString());
		}
		else if (node.isBigInteger()) {
			generator.writeNumber(node.bigIntegerValue());
		}
		else if (node.isIntegralNumber()) {
			generator.writeNumber(node.longValue());
		}
		else if (node.isNumber()) {
			generator.writeNumber(node.doubleValue());
		}
		else if (node.isBoolean()) {
			generator.writeBoolean(node.booleanValue());
		}
		else {
			generator.writeNull();
		}
	}

	/** The field as text, or null when it is missing or JSON null. */
	static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() || value.isMissingNode() ? null : value.asString();
	}
}
