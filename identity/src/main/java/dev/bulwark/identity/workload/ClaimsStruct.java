package dev.bulwark.identity.workload;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JWT claims (JSON values as Nimbus parses them) as the {@code google.protobuf.Struct} of
 * {@code ValidateJWTSVIDResponse.claims}: objects, arrays, strings, numbers, booleans and null map to
 * their {@code Value} kinds; a {@link Date} becomes seconds since the epoch, as in the token.
 */
final class ClaimsStruct {

    private ClaimsStruct() {
    }

    static Struct of(Map<String, ?> claims) {
        Struct.Builder struct = Struct.newBuilder();
        claims.forEach((name, value) -> struct.putFields(name, value(value)));
        return struct.build();
    }

    private static Value value(@Nullable Object value) {
        return switch (value) {
            case null -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case String text -> Value.newBuilder().setStringValue(text).build();
            case Boolean flag -> Value.newBuilder().setBoolValue(flag).build();
            case Number number -> Value.newBuilder().setNumberValue(number.doubleValue()).build();
            case Date date -> Value.newBuilder().setNumberValue(date.getTime() / 1000L).build();
            case Map<?, ?> object -> {
                Struct.Builder struct = Struct.newBuilder();
                object.forEach((name, member) -> struct.putFields(String.valueOf(name), value(member)));
                yield Value.newBuilder().setStructValue(struct).build();
            }
            case List<?> array -> {
                ListValue.Builder list = ListValue.newBuilder();
                array.forEach(element -> list.addValues(value(element)));
                yield Value.newBuilder().setListValue(list).build();
            }
            default -> Value.newBuilder().setStringValue(value.toString()).build();
        };
    }
}
