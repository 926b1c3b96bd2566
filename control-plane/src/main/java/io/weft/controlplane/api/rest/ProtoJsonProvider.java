package io.weft.controlplane.api.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.weft.controlplane.error.WeftException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

/**
 * REST bodies are the weft.v1 messages in protobuf's canonical JSON mapping, so REST and gRPC
 * share one documented schema. Output uses the .proto field names (snake_case) and prints
 * zero values; input accepts snake_case and lowerCamelCase and rejects unknown fields.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProtoJsonProvider implements MessageBodyReader<Message>, MessageBodyWriter<Message> {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Message.class.isAssignableFrom(type);
    }

    @Override
    public Message readFrom(Class<Message> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        Message.Builder builder = builderFor(type);
        String body = new String(entityStream.readAllBytes(), StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return builder.build();
        }
        StrictJson.check(body);
        try {
            PARSER.merge(body, builder);
        } catch (InvalidProtocolBufferException e) {
            throw WeftException.invalid("malformed JSON body for %s: %s", type.getSimpleName(), e.getMessage());
        }
        return builder.build();
    }

    static Message.Builder builderFor(Class<?> type) {
        try {
            Method m = type.getMethod("newBuilder");
            return (Message.Builder) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a generated message: " + type, e);
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Message.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(Message message, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        entityStream.write(print(message).getBytes(StandardCharsets.UTF_8));
    }

    static String print(Message message) throws InvalidProtocolBufferException {
        return PRINTER.print(message);
    }
}
