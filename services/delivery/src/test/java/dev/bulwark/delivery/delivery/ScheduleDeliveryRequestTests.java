package dev.bulwark.delivery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ScheduleDeliveryRequestTests {

    static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    static final Validator VALIDATOR = FACTORY.getValidator();

    static final List<ScheduleDeliveryRequest.Item> ONE = List.of(new ScheduleDeliveryRequest.Item("IT0001", 3));

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void validateWhenRequestIsGoodThenNoViolation() {
        assertThat(fields(new ScheduleDeliveryRequest("3f1b9c3e-1d1e-4c1a-9a55-0f3a1b2c3d4e", "201, Galle Road", ONE)))
            .isEmpty();
    }

    @Test
    void validateWhenOrderIdIsMissingOrMalformedThenRefused() {
        for (String orderId : new String[] { null, "", "a b", "x".repeat(65), "../etc", "id\n" }) {
            assertThat(fields(new ScheduleDeliveryRequest(orderId, "addr", ONE))).as(orderId).containsExactly("orderId");
        }
    }

    @Test
    void validateWhenAddressIsBlankOrTooLongThenRefused() {
        assertThat(fields(new ScheduleDeliveryRequest("o1", " ", ONE))).containsExactly("address");
        assertThat(fields(new ScheduleDeliveryRequest("o1", null, ONE))).containsExactly("address");
        assertThat(fields(new ScheduleDeliveryRequest("o1", "a".repeat(501), ONE))).containsExactly("address");
        assertThat(fields(new ScheduleDeliveryRequest("o1", "a".repeat(500), ONE))).isEmpty();
    }

    @Test
    void validateWhenItemsAreEmptyOrTooManyThenRefused() {
        List<ScheduleDeliveryRequest.Item> many = IntStream.range(0, 101)
            .mapToObj(i -> new ScheduleDeliveryRequest.Item("IT" + i, 1))
            .toList();

        assertThat(fields(new ScheduleDeliveryRequest("o1", "addr", List.of()))).containsExactly("items");
        assertThat(fields(new ScheduleDeliveryRequest("o1", "addr", null))).containsExactly("items");
        assertThat(fields(new ScheduleDeliveryRequest("o1", "addr", many))).containsExactly("items");
        assertThat(fields(new ScheduleDeliveryRequest("o1", "addr", many.subList(0, 100)))).isEmpty();
    }

    @Test
    void validateWhenAnItemIsBadThenItsFieldIsNamed() {
        ScheduleDeliveryRequest request = new ScheduleDeliveryRequest("o1", "addr", Arrays.asList(
                new ScheduleDeliveryRequest.Item("it0001", 1), new ScheduleDeliveryRequest.Item("IT0002", 0),
                new ScheduleDeliveryRequest.Item("IT0003", 10_001), null));

        assertThat(fields(request)).containsExactlyInAnyOrder("items[0].code", "items[1].qty", "items[2].qty",
                "items[3].<list element>");
    }

    private static Set<String> fields(ScheduleDeliveryRequest request) {
        return VALIDATOR.validate(request)
            .stream()
            .map(ConstraintViolation::getPropertyPath)
            .map(Object::toString)
            .collect(Collectors.toSet());
    }
}
