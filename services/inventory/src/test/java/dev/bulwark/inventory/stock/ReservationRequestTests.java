package dev.bulwark.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ReservationRequestTests {

    @Test
    void validateWhenLinesAreGoodThenKeepsThemInOrder() {
        List<StockLine> lines = ReservationRequest.validate(
                List.of(new RequestedItem("IT0002", 1), new RequestedItem("IT0001", 10_000)));

        assertThat(lines).containsExactly(new StockLine("IT0002", 1), new StockLine("IT0001", 10_000));
    }

    @Test
    void validateWhenListIsEmptyOrMissingThenRefused() {
        assertThat(problems(List.of())).containsExactly(new FieldProblem("", "must be a list of 1 to 100 items"));
        assertThat(problems(null)).containsExactly(new FieldProblem("", "must be a list of 1 to 100 items"));
    }

    @Test
    void validateWhenMoreThanOneHundredItemsThenRefused() {
        List<RequestedItem> items = IntStream.range(0, 101).mapToObj(i -> new RequestedItem("IT" + i, 1)).toList();

        assertThat(problems(items)).containsExactly(new FieldProblem("", "101 items (expected: 1 to 100)"));
        assertThat(ReservationRequest.validate(items.subList(0, 100))).hasSize(100);
    }

    @Test
    void validateWhenCodeIsBadThenRefusedWithoutEchoingIt() {
        for (String code : new String[] { null, "", "it0001", "IT-0001", "A".repeat(33), "IT0001\n", "<script>" }) {
            List<FieldProblem> problems = problems(List.of(new RequestedItem(code, 1)));

            assertThat(problems).as(code).containsExactly(new FieldProblem("[0].code", "must be 1 to 32 characters A-Z or 0-9"));
        }
        assertThat(ReservationRequest.validate(List.of(new RequestedItem("A".repeat(32), 1)))).hasSize(1);
    }

    @Test
    void validateWhenQtyIsOutOfRangeThenRefusedWithTheValueAndTheRange() {
        assertThat(problems(List.of(new RequestedItem("IT0001", 0))))
            .containsExactly(new FieldProblem("[0].qty", "0 (expected: 1 to 10000)"));
        assertThat(problems(List.of(new RequestedItem("IT0001", 10_001))))
            .containsExactly(new FieldProblem("[0].qty", "10001 (expected: 1 to 10000)"));
        assertThat(problems(List.of(new RequestedItem("IT0001", -5))))
            .containsExactly(new FieldProblem("[0].qty", "-5 (expected: 1 to 10000)"));
        assertThat(problems(List.of(new RequestedItem("IT0001", null))))
            .containsExactly(new FieldProblem("[0].qty", "must be a number from 1 to 10000"));
    }

    @Test
    void validateWhenCodeRepeatsThenRefused() {
        assertThat(problems(List.of(new RequestedItem("IT0001", 1), new RequestedItem("IT0002", 1),
                new RequestedItem("IT0001", 2))))
            .containsExactly(new FieldProblem("[2].code", "duplicate code IT0001 (expected: each code once)"));
    }

    @Test
    void validateWhenSeveralFieldsAreBadThenAllAreListed() {
        List<RequestedItem> items = new ArrayList<>(Arrays.asList(new RequestedItem("bad", 0), null,
                new RequestedItem("IT0003", 3)));

        assertThat(problems(items)).containsExactly(
                new FieldProblem("[0].code", "must be 1 to 32 characters A-Z or 0-9"),
                new FieldProblem("[0].qty", "0 (expected: 1 to 10000)"),
                new FieldProblem("[1]", "must be an object {\"code\", \"qty\"}"));
    }

    private static List<FieldProblem> problems(List<RequestedItem> items) {
        try {
            ReservationRequest.validate(items);
        }
        catch (InvalidRequestException ex) {
            return ex.problems();
        }
        throw new AssertionError("expected InvalidRequestException for " + items);
    }
}
